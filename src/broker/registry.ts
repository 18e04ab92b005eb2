/**
 * The API handler registry. Each file in handlers/ registers its API key, name and version range
 * here, once, at load; the Broker dispatches through it and ApiVersions is computed from it, so the
 * advertised table can never drift from the handlers that exist.
 *
 * A range advertised to clients is the handler's range intersected with what the codec can decode.
 */
import {codecVersions, type ApiKeyValue, type RequestHeader, type RequestTypes, type ResponseTypes} from '../protocol/index.js'
import type {BrokerContext} from './context.js'

export interface ApiHandler<K extends ApiKeyValue> {
  readonly apiKey: K
  readonly name: string
  readonly minVersion: number
  readonly maxVersion: number
  /**
   * The response body, or null for no response at all (Produce with acks=0). `header` is the request's
   * header (the group coordinator names members after its client id).
   */
  handle(request: RequestTypes[K], version: number, ctx: BrokerContext, header: RequestHeader): Promise<ResponseTypes[K] | null>
}

export interface VersionRange {
  apiKey: number
  minVersion: number
  maxVersion: number
}

// Handlers of different keys live in one table; dispatch pairs each with its own key's types.
const handlers = new Map<number, ApiHandler<ApiKeyValue>>()

export function registerHandler<K extends ApiKeyValue>(handler: ApiHandler<K>): ApiHandler<K> {
  if (handlers.has(handler.apiKey)) throw new Error(`api key ${handler.apiKey} registered twice`)
  handlers.set(handler.apiKey, handler as unknown as ApiHandler<ApiKeyValue>)
  return handler
}

export function handlerFor(apiKey: number): ApiHandler<ApiKeyValue> | undefined {
  return handlers.get(apiKey)
}

/** The range clients may use for a key, or undefined when the key is not served. */
export function advertisedRange(apiKey: number): VersionRange | undefined {
  const handler = handlers.get(apiKey)
  if (handler === undefined) return undefined
  const codec = codecVersions[handler.apiKey]
  const minVersion = Math.max(handler.minVersion, codec.min)
  const maxVersion = Math.min(handler.maxVersion, codec.max)
  return minVersion <= maxVersion ? {apiKey, minVersion, maxVersion} : undefined
}

/** Every served key's range, ascending by key: the body of an ApiVersions response. */
export function advertisedRanges(): VersionRange[] {
  return [...handlers.keys()].sort((a, b) => a - b)
    .map(advertisedRange)
    .filter((range): range is VersionRange => range !== undefined)
}
