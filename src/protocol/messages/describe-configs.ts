import {array, field, message, type MessageValue} from '../schema.js'

// DescribeConfigs (32). Resource type 2 = topic, 4 = broker. v1 IncludeSynonyms, ConfigSource and
// Synonyms replace IsDefault; v3 IncludeDocumentation, ConfigType and Documentation; v4 flexible.

export const DescribeConfigsRequestSchema = message('DescribeConfigsRequest', {apiKey: 32, versions: '0-4', flexible: '4+'}, {
  resources: array('DescribeConfigsResource', '0+', {
    resourceType: field('int8', '0+'),
    resourceName: field('string', '0+'),
    configurationKeys: field('[]string', '0+', {nullable: '0+'}),
  }),
  includeSynonyms: field('bool', '1+', {default: false}),
  includeDocumentation: field('bool', '3+', {default: false}),
})

export const DescribeConfigsResponseSchema = message('DescribeConfigsResponse', {apiKey: 32, versions: '0-4', flexible: '4+'}, {
  throttleTimeMs: field('int32', '0+'),
  results: array('DescribeConfigsResult', '0+', {
    errorCode: field('int16', '0+'),
    errorMessage: field('string', '0+', {nullable: '0+'}),
    resourceType: field('int8', '0+'),
    resourceName: field('string', '0+'),
    configs: array('DescribeConfigsResourceResult', '0+', {
      name: field('string', '0+'),
      value: field('string', '0+', {nullable: '0+'}),
      readOnly: field('bool', '0+'),
      isDefault: field('bool', '0'),
      configSource: field('int8', '1+', {default: -1}),
      isSensitive: field('bool', '0+'),
      synonyms: array('DescribeConfigsSynonym', '1+', {
        name: field('string', '1+'),
        value: field('string', '1+', {nullable: '0+'}),
        source: field('int8', '1+'),
      }),
      configType: field('int8', '3+', {default: 0}),
      documentation: field('string', '3+', {nullable: '0+'}),
    }),
  }),
})

export type DescribeConfigsRequest = MessageValue<typeof DescribeConfigsRequestSchema>
export type DescribeConfigsResource = DescribeConfigsRequest['resources'][number]
export type DescribeConfigsResponse = MessageValue<typeof DescribeConfigsResponseSchema>
export type DescribeConfigsResult = DescribeConfigsResponse['results'][number]
export type DescribeConfigsResourceResult = DescribeConfigsResult['configs'][number]
export type DescribeConfigsSynonym = DescribeConfigsResourceResult['synonyms'][number]
