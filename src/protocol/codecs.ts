import type {ApiKeyValue} from './api-key.js'
import type {Codec} from './codec.js'
import {apiSchemas} from './messages/index.js'
import {ProtocolError} from './protocol-error.js'
import type {MessageSpec} from './schema.js'
import {buildStructCodec, type Struct} from './struct-codec.js'

export interface VersionSupport {
  min: number
  max: number
  /** First version with flexible encoding (compact lengths, tagged fields, header v2/v1). */
  flexibleMin: number
}

interface ApiCodecs {
  readonly name: string
  readonly support: VersionSupport
  readonly request: readonly Codec<Struct>[]
  readonly response: readonly Codec<Struct>[]
}

// Every (API, version, direction) codec is built here, once, when the module loads.
const apis = new Map<number, ApiCodecs>()
for (const {request, response} of Object.values(apiSchemas)) {
  const support = supportOf(request.spec, response.spec)
  apis.set(request.spec.apiKey, {
    name: request.spec.name.replace(/Request$/, ''),
    support,
    request: buildAllVersions(request.spec, support),
    response: buildAllVersions(response.spec, support),
  })
}

/** The version range of every API this codec speaks. */
export const codecVersions = Object.fromEntries(
  [...apis].map(([apiKey, api]) => [apiKey, {...api.support}]),
) as Record<ApiKeyValue, VersionSupport>

export function requestCodec(apiKey: number, version: number): Codec<Struct> {
  return api(apiKey, version).request[version]
}

export function responseCodec(apiKey: number, version: number): Codec<Struct> {
  return api(apiKey, version).response[version]
}

/** Kafka's name of the API ("Metadata"), or "ApiKey 42" for keys this codec does not know. */
export function apiName(apiKey: number): string {
  return apis.get(apiKey)?.name ?? `ApiKey ${apiKey}`
}

/**
 * Whether a version of an API is flexible. Versions above the highest known one count as flexible
 * from the first flexible version on (so the header of a too-new ApiVersions request still parses);
 * keys this codec does not know count as not flexible.
 */
export function isFlexible(apiKey: number, version: number): boolean {
  const known = apis.get(apiKey)
  return known !== undefined && version >= known.support.flexibleMin
}

function api(apiKey: number, version: number): ApiCodecs {
  const known = apis.get(apiKey)
  if (known === undefined) throw new ProtocolError(`unsupported API key ${apiKey}`)
  const {min, max} = known.support
  if (!Number.isInteger(version) || version < min || version > max) {
    throw new ProtocolError(`unsupported ${known.name} version ${version} (supported ${min}-${max})`)
  }
  return known
}

function supportOf(request: MessageSpec, response: MessageSpec): VersionSupport {
  const same = (a: {min: number; max: number}, b: {min: number; max: number}): boolean =>
    a.min === b.min && a.max === b.max
  if (!same(request.validVersions, response.validVersions) || !same(request.flexibleVersions, response.flexibleVersions)) {
    throw new ProtocolError(`${request.name} and ${response.name} disagree on their versions`)
  }
  return {min: request.validVersions.min, max: request.validVersions.max, flexibleMin: request.flexibleVersions.min}
}

function buildAllVersions(spec: MessageSpec, support: VersionSupport): Codec<Struct>[] {
  const codecs: Codec<Struct>[] = []
  for (let version = support.min; version <= support.max; version++) {
    codecs[version] = buildStructCodec(spec.fields, version, version >= support.flexibleMin)
  }
  return codecs
}
