import {ApiKey, type ApiKeyValue} from './api-key.js'
import {apiName, requestCodec, responseCodec} from './codecs.js'
import {ErrorCode} from './errors.js'
import {type RequestHeader, readRequestHeader, readResponseHeader, writeRequestHeader, writeResponseHeader} from './headers.js'
import type {RequestTypes, ResponseTypes} from './messages/index.js'
import {Reader} from './reader.js'
import type {Struct} from './struct-codec.js'
import {Writer} from './writer.js'

/**
 * Whole frames: int32 size (not counting itself), header, body. Encoders return the frame with
 * its size prefix; decoders take the frame without it (the connection has already cut it off).
 * Buffers in decoded bodies (records, bytes) are views into the frame, not copies.
 */

/** Client side: a request frame, size prefix included. */
export function encodeRequest<K extends ApiKeyValue>(header: RequestHeader & {apiKey: K}, body: RequestTypes[K]): Buffer {
  const codec = requestCodec(header.apiKey, header.apiVersion)
  const w = new Writer()
  w.int32(0)
  writeRequestHeader(w, header)
  codec.write(w, body as unknown as Struct)
  return sized(w)
}

/** Byte fields at least this long are passed through as chunks of their own rather than copied. */
const CHUNK_MIN_BYTES = 4096

/**
 * A Writer that leaves long byte fields (record batches) out of its buffer and remembers where they
 * go, so that a frame can be written as a list of buffers without copying its payloads.
 */
class ChunkingWriter extends Writer {
  readonly spliced: {at: number; bytes: Buffer}[] = []
  splicedLength = 0

  override raw(bytes: Uint8Array): void {
    if (bytes.length < CHUNK_MIN_BYTES) {
      super.raw(bytes)
      return
    }
    this.spliced.push({at: this.length, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)})
    this.splicedLength += bytes.length
  }

  /** The frame as buffers in wire order: pieces of this writer's own buffer and the spliced fields. */
  chunks(): Buffer[] {
    const own = this.finish()
    const chunks: Buffer[] = []
    let from = 0
    for (const {at, bytes} of this.spliced) {
      if (at > from) chunks.push(own.subarray(from, at))
      chunks.push(bytes)
      from = at
    }
    if (own.length > from) chunks.push(own.subarray(from))
    return chunks
  }
}

/**
 * Client side: the same request frame as encodeRequest, as a list of buffers whose concatenation is
 * that frame. Byte fields of 4 KiB or more (a Produce request's record batches) are the caller's own
 * buffers, not copies: they must stay unchanged until the frame is written. Written with cork/uncork
 * (writev), a frame of large batches costs no copy and no frame-sized allocation.
 */
export function encodeRequestChunks<K extends ApiKeyValue>(header: RequestHeader & {apiKey: K}, body: RequestTypes[K]): Buffer[] {
  const codec = requestCodec(header.apiKey, header.apiVersion)
  const w = new ChunkingWriter()
  w.int32(0)
  writeRequestHeader(w, header)
  codec.write(w, body as unknown as Struct)
  w.patchInt32(0, w.length + w.splicedLength - 4)
  return w.chunks()
}

/** Broker side: the header of a request frame and where its body starts. */
export function decodeRequestHeader(frame: Buffer): RequestHeader & {bodyOffset: number} {
  const r = new Reader(frame)
  const header = readRequestHeader(r)
  r.check('request header')
  return {...header, bodyOffset: r.pos}
}

/** Broker side: the body of a request frame whose header was read by decodeRequestHeader. */
export function decodeRequestBody<K extends ApiKeyValue>(
  apiKey: K,
  version: number,
  frame: Buffer,
  bodyOffset: number,
): RequestTypes[K] {
  const codec = requestCodec(apiKey, version)
  const r = new Reader(frame, bodyOffset)
  const body = codec.read(r)
  r.check(`${apiName(apiKey)} v${version} request`)
  return body as unknown as RequestTypes[K]
}

/** Broker side: a response frame, size prefix included. */
export function encodeResponse<K extends ApiKeyValue>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ResponseTypes[K],
): Buffer {
  const codec = responseCodec(apiKey, version)
  const w = new Writer()
  w.int32(0)
  writeResponseHeader(w, apiKey, version, correlationId)
  codec.write(w, body as unknown as Struct)
  return sized(w)
}

/**
 * Broker side: the same response frame as encodeResponse, as a list of buffers whose concatenation is
 * that frame. Byte fields worth it (a Fetch's record batches, read from the log) are passed through
 * as the caller's own buffers instead of being copied into the frame.
 */
export function encodeResponseChunks<K extends ApiKeyValue>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ResponseTypes[K],
): Buffer[] {
  const codec = responseCodec(apiKey, version)
  const w = new ChunkingWriter()
  w.int32(0)
  writeResponseHeader(w, apiKey, version, correlationId)
  codec.write(w, body as unknown as Struct)
  w.patchInt32(0, w.length + w.splicedLength - 4)
  return w.chunks()
}

/**
 * Client side: a response frame (without its size prefix) to the request it answers.
 *
 * A broker that does not know the ApiVersions version it was sent answers with a v0 body carrying
 * UNSUPPORTED_VERSION and its own ApiVersions range (KIP-511), so such an answer is read as v0
 * whatever version was asked; the error code comes first in every version, which tells them apart.
 */
export function decodeResponse<K extends ApiKeyValue>(
  apiKey: K,
  version: number,
  frame: Buffer,
): {correlationId: number; body: ResponseTypes[K]} {
  const r = new Reader(frame)
  const correlationId = readResponseHeader(r, apiKey, version)
  const readAs = isVersionRefusal(apiKey, version, r) ? 0 : version
  const body = responseCodec(apiKey, readAs).read(r)
  r.check(`${apiName(apiKey)} v${version} response${readAs === version ? '' : ' (an UNSUPPORTED_VERSION answer, read as v0)'}`)
  return {correlationId, body: body as unknown as ResponseTypes[K]}
}

function isVersionRefusal(apiKey: number, version: number, r: Reader): boolean {
  return (
    apiKey === ApiKey.ApiVersions &&
    version > 0 &&
    r.remaining >= 2 &&
    r.buf.readInt16BE(r.pos) === ErrorCode.UNSUPPORTED_VERSION
  )
}

function sized(w: Writer): Buffer {
  w.patchInt32(0, w.length - 4)
  return w.finish()
}
