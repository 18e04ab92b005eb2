import type {ApiKeyValue} from '../../src/protocol/api-key.js'
import {codecVersions} from '../../src/protocol/codecs.js'
import {
  decodeRequestBody,
  decodeRequestHeader,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from '../../src/protocol/frames.js'
import type {RequestTypes, ResponseTypes} from '../../src/protocol/messages/index.js'
import {apiSchemas} from '../../src/protocol/messages/index.js'
import type {MessageSpec} from '../../src/protocol/schema.js'
import type {SampleStruct} from './sample-message.js'

/** One message at one version: the unit of the round-trip and hostile-input tests. */
export interface MessageCase {
  apiKey: ApiKeyValue
  direction: 'request' | 'response'
  version: number
  flexible: boolean
  spec: MessageSpec
  title: string
}

export function allMessageCases(): MessageCase[] {
  const cases: MessageCase[] = []
  for (const [key, api] of Object.entries(apiSchemas)) {
    const apiKey = Number(key) as ApiKeyValue
    const {min, max, flexibleMin} = codecVersions[apiKey]
    for (const direction of ['request', 'response'] as const) {
      const spec = api[direction].spec
      for (let version = min; version <= max; version++) {
        cases.push({apiKey, direction, version, flexible: version >= flexibleMin, spec, title: `${spec.name} v${version}`})
      }
    }
  }
  return cases
}

export const CORRELATION_ID = 0x1234567
export const CLIENT_ID = 'weir-tests'

/** The whole frame (size prefix included) of a message case carrying `body`. */
export function encodeCase(c: MessageCase, body: SampleStruct): Buffer {
  return c.direction === 'request'
    ? encodeRequest(
        {apiKey: c.apiKey, apiVersion: c.version, correlationId: CORRELATION_ID, clientId: CLIENT_ID},
        body as unknown as RequestTypes[ApiKeyValue],
      )
    : encodeResponse(c.apiKey, c.version, CORRELATION_ID, body as unknown as ResponseTypes[ApiKeyValue])
}

/** Decodes a frame without its size prefix, as the broker or the client would. */
export function decodeCase(c: MessageCase, frame: Buffer): unknown {
  if (c.direction === 'request') {
    const header = decodeRequestHeader(frame)
    return decodeRequestBody(c.apiKey, c.version, frame, header.bodyOffset)
  }
  return decodeResponse(c.apiKey, c.version, frame).body
}
