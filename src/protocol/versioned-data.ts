import type {Codec} from './codec.js'
import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'
import type {DataDef, DataSpec, VersionRange} from './schema.js'
import {buildStructCodec, type Struct} from './struct-codec.js'
import {Writer} from './writer.js'

/**
 * Bytes that carry their own version: an int16 version, then a struct declared with data() at that
 * version. Kafka uses this form for what travels opaquely inside other messages or records: the
 * consumer protocol's subscription and assignment (JoinGroup metadata, SyncGroup assignments) and
 * the keys and values of __consumer_offsets records.
 *
 *   version int16 | struct at that version (flexible versions: compact lengths, tagged fields)
 */

export interface Versioned<T> {
  /** The version the bytes declared (above the highest known one when read as that one). */
  readonly version: number
  readonly value: T
}

export interface VersionedCodec<T> {
  readonly name: string
  readonly versions: VersionRange
  encode(value: T, version: number): Buffer
  decode(bytes: Buffer): Versioned<T>
}

/**
 * What to do with a version above the highest known one. 'read-as-highest': read the bytes as the
 * highest version and ignore any bytes after it, because newer versions only append fields (the
 * consumer protocol's rule, as Kafka's ConsumerProtocol reads them). 'refuse': a ProtocolError, and
 * bytes after the struct are refused too (records whose layout must be known exactly).
 */
export type NewerVersions = 'read-as-highest' | 'refuse'

/** Builds the codecs of every version of a data schema, once. */
export function versionedCodec<T>(def: DataDef<T>, newer: NewerVersions): VersionedCodec<T> {
  const spec = def.spec
  const {min, max} = spec.validVersions
  const codecs: Codec<Struct>[] = []
  for (let version = min; version <= max; version++) codecs[version] = codecAt(spec, version)

  return {
    name: spec.name,
    versions: spec.validVersions,
    encode(value, version) {
      if (!Number.isInteger(version) || version < min || version > max) {
        throw new ProtocolError(`${spec.name} has no version ${version} (versions ${min}-${max})`)
      }
      const w = new Writer(64)
      w.int16(version)
      codecs[version].write(w, value as unknown as Struct)
      return w.finish()
    },
    decode(bytes) {
      const r = new Reader(bytes)
      const version = r.int16()
      r.check(`${spec.name} version`)
      if (version < min || (version > max && newer === 'refuse')) {
        throw new ProtocolError(`${spec.name} version ${version} is not known (versions ${min}-${max})`)
      }
      const value = codecs[Math.min(version, max)].read(r)
      r.check(`${spec.name} v${version}`)
      if (newer === 'refuse' && r.remaining > 0) {
        throw new ProtocolError(`malformed ${spec.name} v${version}: ${r.remaining} bytes after the end`)
      }
      return {version, value: value as unknown as T}
    },
  }
}

function codecAt(spec: DataSpec, version: number): Codec<Struct> {
  const flexible = version >= spec.flexibleVersions.min && version <= spec.flexibleVersions.max
  return buildStructCodec(spec.fields, version, flexible)
}
