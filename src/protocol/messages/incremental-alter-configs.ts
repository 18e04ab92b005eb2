import {array, field, message, type MessageValue} from '../schema.js'
import {alterConfigsResponseFields} from './alter-configs.js'

// IncrementalAlterConfigs (44): changes single keys of a resource's overrides. ConfigOperation
// 0 = SET, 1 = DELETE, 2 = APPEND, 3 = SUBTRACT (the last two for list configs). v1 flexible.

export const IncrementalAlterConfigsRequestSchema = message(
  'IncrementalAlterConfigsRequest',
  {apiKey: 44, versions: '0-1', flexible: '1+'},
  {
    resources: array('AlterConfigsResource', '0+', {
      resourceType: field('int8', '0+'),
      resourceName: field('string', '0+'),
      configs: array('AlterableConfig', '0+', {
        name: field('string', '0+'),
        configOperation: field('int8', '0+'),
        value: field('string', '0+', {nullable: '0+'}),
      }),
    }),
    validateOnly: field('bool', '0+'),
  },
)

export const IncrementalAlterConfigsResponseSchema = message(
  'IncrementalAlterConfigsResponse',
  {apiKey: 44, versions: '0-1', flexible: '1+'},
  alterConfigsResponseFields,
)

export type IncrementalAlterConfigsRequest = MessageValue<typeof IncrementalAlterConfigsRequestSchema>
export type IncrementalAlterConfigsResource = IncrementalAlterConfigsRequest['resources'][number]
export type IncrementalAlterableConfig = IncrementalAlterConfigsResource['configs'][number]
export type IncrementalAlterConfigsResponse = MessageValue<typeof IncrementalAlterConfigsResponseSchema>
export type IncrementalAlterConfigsResourceResponse = IncrementalAlterConfigsResponse['responses'][number]
