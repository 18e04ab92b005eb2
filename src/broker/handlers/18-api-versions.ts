/**
 * ApiVersions (key 18), versions 0-4.
 *
 * Answers with every registered API's range (handler range intersected with the codec's), so the
 * table is computed, never maintained by hand. No features are advertised.
 *
 * Version notes: v1 adds ThrottleTimeMs; v3 (KIP-511) makes the request flexible and carries
 * ClientSoftwareName/Version, accepted whatever their content (AK answers 42 to odd names; being
 * lenient keeps odd clients working); v3 responses still use response header v0. A request of a
 * version above 4 never reaches this handler: the Broker answers it with a v0 body and error 35
 * (see broker.ts).
 */
import {ApiKey, type ApiVersionsRequest, type ApiVersionsResponse} from '../../protocol/index.js'
import {advertisedRanges, registerHandler} from '../registry.js'

export const apiVersionsHandler = registerHandler({
  apiKey: ApiKey.ApiVersions,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 4,
  async handle(_request: ApiVersionsRequest): Promise<ApiVersionsResponse> {
    return {
      errorCode: 0,
      apiKeys: advertisedRanges(),
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    }
  },
})
