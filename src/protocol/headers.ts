import {ApiKey} from './api-key.js'
import {isFlexible} from './codecs.js'
import type {Reader} from './reader.js'
import type {Writer} from './writer.js'

/**
 * Request header v1 (non-flexible requests): api_key i16, api_version i16, correlation_id i32,
 * client_id NULLABLE_STRING. v2 (flexible requests) adds a tagged-field section but keeps the
 * i16-length client_id. Response header v0 is the correlation id alone; v1 adds a tagged-field
 * section, except for ApiVersions, whose responses always use v0 so that a client can read the
 * answer to a version the broker does not understand.
 */
export interface RequestHeader {
  apiKey: number
  apiVersion: number
  correlationId: number
  clientId: string | null
}

export function writeRequestHeader(w: Writer, header: RequestHeader): void {
  w.int16(header.apiKey)
  w.int16(header.apiVersion)
  w.int32(header.correlationId)
  w.nullableString(header.clientId)
  if (isFlexible(header.apiKey, header.apiVersion)) w.uvarint(0)
}

export function readRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16()
  const apiVersion = r.int16()
  const correlationId = r.int32()
  const clientId = r.nullableString()
  if (isFlexible(apiKey, apiVersion)) skipTaggedFields(r)
  return {apiKey, apiVersion, correlationId, clientId}
}

export function responseHeaderIsFlexible(apiKey: number, version: number): boolean {
  return apiKey !== ApiKey.ApiVersions && isFlexible(apiKey, version)
}

export function writeResponseHeader(w: Writer, apiKey: number, version: number, correlationId: number): void {
  w.int32(correlationId)
  if (responseHeaderIsFlexible(apiKey, version)) w.uvarint(0)
}

export function readResponseHeader(r: Reader, apiKey: number, version: number): number {
  const correlationId = r.int32()
  if (responseHeaderIsFlexible(apiKey, version)) skipTaggedFields(r)
  return correlationId
}

/** Headers define no tagged fields in these versions; any sent are skipped. */
function skipTaggedFields(r: Reader): void {
  const count = r.uvarint()
  for (let i = 0; i < count && !r.failed; i++) {
    r.uvarint()
    r.skip(r.uvarint())
  }
}
