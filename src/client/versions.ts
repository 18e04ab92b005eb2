// API version negotiation. A connection first sends ApiVersions; afterwards every request uses, per API,
// the highest version both this client and that broker support (brokers of one cluster may differ during
// an upgrade, so each connection keeps its own table).
import {ApiKey, ErrorCode, apiName, codecVersions, type ApiKeyValue} from '../protocol/index.js'
import {decodeFrame, type Connection} from './connection.js'
import {KafkaProtocolError, UnsupportedVersionError} from './errors.js'
import {CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION} from './software.js'

/**
 * Oldest version this client uses where it is above the codec's own minimum: RecordBatch v2 needs Produce
 * v3 and Fetch v4; ListOffsets v0 answers with an offset array; Metadata v0 means "all topics" by an
 * empty list, which the client never relies on.
 */
const CLIENT_MIN_VERSION: Partial<Record<ApiKeyValue, number>> = {
  [ApiKey.Produce]: 3,
  [ApiKey.Fetch]: 4,
  [ApiKey.ListOffsets]: 1,
  [ApiKey.Metadata]: 1,
}

/** ApiVersions is tried at v3 first: the first version carrying the client's name (KIP-511). */
const FIRST_API_VERSIONS_VERSION = 3

export interface VersionRange {
  min: number
  max: number
}

export function clientRange(apiKey: ApiKeyValue): VersionRange {
  const codec = codecVersions[apiKey]
  return {min: Math.max(codec.min, CLIENT_MIN_VERSION[apiKey] ?? 0), max: codec.max}
}

export class VersionTable {
  constructor(private readonly broker: ReadonlyMap<number, VersionRange>) {}

  /** The range the broker advertised for an API, if it has it at all. */
  brokerRange(apiKey: number): VersionRange | undefined {
    return this.broker.get(apiKey)
  }

  /** The highest version of `apiKey` both sides support. */
  version(apiKey: ApiKeyValue): number {
    const ours = clientRange(apiKey)
    const theirs = this.broker.get(apiKey)
    const chosen = theirs ? Math.min(ours.max, theirs.max) : -1
    if (!theirs || chosen < Math.max(ours.min, theirs.min)) {
      const offered = theirs ? ` (it offers v${theirs.min}-${theirs.max})` : ''
      throw new UnsupportedVersionError(`broker does not support ${apiName(apiKey)} v${ours.min}-${ours.max}${offered}`)
    }
    return chosen
  }
}

/**
 * Sends ApiVersions, v3 first. A broker that does not know that version answers UNSUPPORTED_VERSION with
 * a v0 body (KIP-511) listing its own ApiVersions range; like librdkafka, the client retries at
 * min(sent - 1, advertised max), or v0 when the broker listed none.
 */
export async function negotiateVersions(connection: Connection): Promise<VersionTable> {
  let version = Math.min(FIRST_API_VERSIONS_VERSION, codecVersions[ApiKey.ApiVersions].max)
  const request = {clientSoftwareName: CLIENT_SOFTWARE_NAME, clientSoftwareVersion: CLIENT_SOFTWARE_VERSION}
  for (;;) {
    const frame = await connection.requestFrame(ApiKey.ApiVersions, version, request)
    if (version > 0 && errorCodeOf(frame) === ErrorCode.UNSUPPORTED_VERSION) {
      const fallback = decodeFrame(ApiKey.ApiVersions, 0, frame)
      const advertised = fallback.apiKeys.find((api) => api.apiKey === ApiKey.ApiVersions)
      version = advertised ? Math.max(0, Math.min(version - 1, advertised.maxVersion)) : 0
      continue
    }
    const response = decodeFrame(ApiKey.ApiVersions, version, frame)
    if (response.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(response.errorCode, 'ApiVersions')
    return new VersionTable(new Map(response.apiKeys.map((api) => [api.apiKey, {min: api.minVersion, max: api.maxVersion}])))
  }
}

/**
 * The error code of an ApiVersions response frame, readable before knowing the body's version: the
 * response header is always v0 (correlation id only) and ErrorCode is the first field of every version.
 */
function errorCodeOf(frame: Buffer): number {
  return frame.length >= 6 ? frame.readInt16BE(4) : ErrorCode.NONE
}
