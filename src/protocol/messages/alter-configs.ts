import {array, field, message, type MessageValue} from '../schema.js'

// AlterConfigs (33): replaces a resource's whole set of overrides (keys left out return to their
// defaults). v1 is v0 with throttling; v2 flexible.

export const AlterConfigsRequestSchema = message('AlterConfigsRequest', {apiKey: 33, versions: '0-2', flexible: '2+'}, {
  resources: array('AlterConfigsResource', '0+', {
    resourceType: field('int8', '0+'),
    resourceName: field('string', '0+'),
    configs: array('AlterableConfig', '0+', {
      name: field('string', '0+'),
      value: field('string', '0+', {nullable: '0+'}),
    }),
  }),
  validateOnly: field('bool', '0+'),
})

/** The response body, which IncrementalAlterConfigs answers with too: one result per resource. */
export const alterConfigsResponseFields = {
  throttleTimeMs: field('int32', '0+'),
  responses: array('AlterConfigsResourceResponse', '0+', {
    errorCode: field('int16', '0+'),
    errorMessage: field('string', '0+', {nullable: '0+'}),
    resourceType: field('int8', '0+'),
    resourceName: field('string', '0+'),
  }),
}

export const AlterConfigsResponseSchema = message(
  'AlterConfigsResponse',
  {apiKey: 33, versions: '0-2', flexible: '2+'},
  alterConfigsResponseFields,
)

export type AlterConfigsRequest = MessageValue<typeof AlterConfigsRequestSchema>
export type AlterConfigsResource = AlterConfigsRequest['resources'][number]
export type AlterableConfig = AlterConfigsResource['configs'][number]
export type AlterConfigsResponse = MessageValue<typeof AlterConfigsResponseSchema>
export type AlterConfigsResourceResponse = AlterConfigsResponse['responses'][number]
