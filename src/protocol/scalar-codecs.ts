import type {Codec} from './codec.js'
import type {Reader} from './reader.js'
import type {ScalarType} from './schema.js'
import type {Writer} from './writer.js'

/**
 * Codecs for Kafka's scalar types. Strings, bytes and records have four wire forms: classic
 * (int16/int32 length) or compact (uvarint length + 1, in flexible versions), each nullable or
 * not. The form is chosen once per field and version, never per value.
 */
export function scalarCodec(type: ScalarType, compact: boolean, nullable: boolean): Codec<unknown> {
  switch (type) {
    case 'int8':
      return codec((r) => r.int8(), (w, v) => w.int8(v as number))
    case 'int16':
      return codec((r) => r.int16(), (w, v) => w.int16(v as number))
    case 'uint16':
      return codec((r) => r.uint16(), (w, v) => w.uint16(v as number))
    case 'int32':
      return codec((r) => r.int32(), (w, v) => w.int32(v as number))
    case 'int64':
      return codec((r) => r.int64(), (w, v) => w.int64(v as number))
    case 'float64':
      return codec((r) => r.float64(), (w, v) => w.float64(v as number))
    case 'bool':
      return codec((r) => r.bool(), (w, v) => w.bool(v as boolean))
    case 'uuid':
      return codec((r) => r.uuid(), (w, v) => w.uuid(v as string))
    case 'string':
      return stringCodec(compact, nullable)
    case 'bytes':
    case 'records':
      return bytesCodec(compact, nullable)
  }
}

function stringCodec(compact: boolean, nullable: boolean): Codec<unknown> {
  if (compact) {
    return nullable
      ? codec((r) => r.compactNullableString(), (w, v) => w.compactNullableString(v as string | null))
      : codec((r) => r.compactString(), (w, v) => w.compactString(v as string))
  }
  return nullable
    ? codec((r) => r.nullableString(), (w, v) => w.nullableString(v as string | null))
    : codec((r) => r.string(), (w, v) => w.string(v as string))
}

function bytesCodec(compact: boolean, nullable: boolean): Codec<unknown> {
  if (compact) {
    return nullable
      ? codec((r) => r.compactNullableBytes(), (w, v) => w.compactNullableBytes(v as Buffer | null))
      : codec((r) => r.compactBytes(), (w, v) => w.compactBytes(v as Buffer))
  }
  return nullable
    ? codec((r) => r.nullableBytes(), (w, v) => w.nullableBytes(v as Buffer | null))
    : codec((r) => r.bytes(), (w, v) => w.bytes(v as Buffer))
}

function codec(read: (r: Reader) => unknown, write: (w: Writer, v: unknown) => void): Codec<unknown> {
  return {read, write}
}
