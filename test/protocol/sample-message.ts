import {type FieldSpec, inRange} from '../../src/protocol/schema.js'

/**
 * Builds a message body from the schema for one version, as the round-trip tests send it: every
 * field present at that version holds a non-default value (so a field the codec skipped or
 * mis-sized cannot go unnoticed), and every absent field holds the default the contract promises.
 */
export interface SampleOptions {
  /** Put null in every field nullable at this version (tagged fields excepted: null is their default). */
  nulls: boolean
  /** Give every struct of a flexible version two tagged fields this codec does not know. */
  unknownTags: boolean
}

export type SampleStruct = Record<string, unknown>

/** Tags no struct of these APIs defines (theirs are 0-3); 200 takes a two-byte varint. */
export const UNKNOWN_TAGS = [7, 200]

export function sampleStruct(
  fields: readonly FieldSpec[],
  version: number,
  flexible: boolean,
  options: SampleOptions,
  counter = {next: 1},
): SampleStruct {
  const struct: SampleStruct = {}
  for (const field of fields) {
    if (!inRange(field.versions, version)) {
      struct[field.name] = expectedDefault(field)
      continue
    }
    const tagged = flexible && inRange(field.taggedVersions, version)
    if (options.nulls && !tagged && inRange(field.nullableVersions, version)) {
      struct[field.name] = null
      continue
    }
    struct[field.name] = sampleValue(field, version, flexible, options, counter)
  }
  if (flexible && options.unknownTags) {
    struct.unknownTaggedFields = UNKNOWN_TAGS.map((tag) => ({tag, data: Buffer.from([tag & 0xff, counter.next++ & 0xff])}))
  }
  return struct
}

function sampleValue(field: FieldSpec, version: number, flexible: boolean, options: SampleOptions, counter: {next: number}): unknown {
  const one = (): unknown =>
    field.fields === null
      ? scalarSample(field, counter.next++)
      : sampleStruct(field.fields, version, flexible, options, counter)
  return field.array ? [one(), one()] : one()
}

/** A value of the field's scalar type that is never its default. */
function scalarSample(field: FieldSpec, n: number): unknown {
  const sign = n % 2 === 0 ? 1 : -1
  switch (field.scalar) {
    case 'int8':
      return 2 + (n % 100)
    case 'int16':
      return sign * (300 + n)
    case 'uint16':
      return 40000 + n
    case 'int32':
      return sign * (100000 * n + 7)
    case 'int64':
      return sign * (2 ** 40 * n + 3)
    case 'float64':
      return n + 0.5
    case 'bool':
      return field.default !== true
    case 'string':
      return `s${n}-é`
    case 'bytes':
    case 'records':
      return Buffer.from(`bytes ${n}`)
    case 'uuid':
      return Buffer.alloc(16, n).toString('base64url')
    default:
      throw new Error(`no sample for ${field.type}`)
  }
}

/** The contract's default: Kafka's, else null when nullable, else the type's zero. */
export function expectedDefault(field: FieldSpec): unknown {
  if (field.default !== undefined) return field.default
  if (field.nullableVersions !== null || field.scalar === 'records') return null
  if (field.array) return []
  if (field.fields !== null) return Object.fromEntries(field.fields.map((f) => [f.name, expectedDefault(f)]))
  return scalarZero(field.scalar!)
}

/** The zero of a scalar type, the default of a field without one that is never null. */
export function scalarZero(type: string): unknown {
  switch (type) {
    case 'bool':
      return false
    case 'string':
      return ''
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA'
    case 'bytes':
      return Buffer.alloc(0)
    default:
      return 0
  }
}
