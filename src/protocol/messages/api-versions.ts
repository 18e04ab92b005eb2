import {array, field, message, type MessageValue} from '../schema.js'

// ApiVersions (18). v1 ThrottleTimeMs; v3 flexible body (the response header stays v0 in every
// version, so a client can read the answer to a version the broker does not know), client
// software name and version, tagged feature lists.

export const ApiVersionsRequestSchema = message('ApiVersionsRequest', {apiKey: 18, versions: '0-4', flexible: '3+'}, {
  clientSoftwareName: field('string', '3+'),
  clientSoftwareVersion: field('string', '3+'),
})

export const ApiVersionsResponseSchema = message('ApiVersionsResponse', {apiKey: 18, versions: '0-4', flexible: '3+'}, {
  errorCode: field('int16', '0+'),
  apiKeys: array('ApiVersion', '0+', {
    apiKey: field('int16', '0+'),
    minVersion: field('int16', '0+'),
    maxVersion: field('int16', '0+'),
  }),
  throttleTimeMs: field('int32', '1+'),
  supportedFeatures: array(
    'SupportedFeatureKey',
    '3+',
    {
      name: field('string', '3+'),
      minVersion: field('int16', '3+'),
      maxVersion: field('int16', '3+'),
    },
    {tag: 0, tagged: '3+'},
  ),
  finalizedFeaturesEpoch: field('int64', '3+', {tag: 1, tagged: '3+', default: -1}),
  finalizedFeatures: array(
    'FinalizedFeatureKey',
    '3+',
    {
      name: field('string', '3+'),
      maxVersionLevel: field('int16', '3+'),
      minVersionLevel: field('int16', '3+'),
    },
    {tag: 2, tagged: '3+'},
  ),
  zkMigrationReady: field('bool', '3+', {tag: 3, tagged: '3+', default: false}),
})

export type ApiVersionsRequest = MessageValue<typeof ApiVersionsRequestSchema>
export type ApiVersionsResponse = MessageValue<typeof ApiVersionsResponseSchema>
export type ApiVersion = ApiVersionsResponse['apiKeys'][number]
export type SupportedFeatureKey = ApiVersionsResponse['supportedFeatures'][number]
export type FinalizedFeatureKey = ApiVersionsResponse['finalizedFeatures'][number]
