import {type FieldSpec, inRange} from '../../src/protocol/schema.js'
import type {SampleStruct} from './sample-message.js'

/**
 * The number of bytes a struct must take on the wire, worked out from the schema independently of
 * the codec: the oracle for the encoded-length checks. It assumes what sampleStruct guarantees:
 * every tagged field present at the version differs from its default and is therefore sent.
 */
export function wireSize(fields: readonly FieldSpec[], struct: SampleStruct, version: number, flexible: boolean): number {
  let size = 0
  const taggedPayloads: {tag: number; size: number}[] = []
  for (const field of fields) {
    if (!inRange(field.versions, version)) continue
    const valueSize = sizeOfValue(field, struct[field.name], version, flexible)
    if (flexible && inRange(field.taggedVersions, version)) taggedPayloads.push({tag: field.tag!, size: valueSize})
    else size += valueSize
  }
  if (!flexible) return size
  const unknown = (struct.unknownTaggedFields ?? []) as {tag: number; data: Buffer}[]
  for (const field of unknown) taggedPayloads.push({tag: field.tag, size: field.data.length})
  size += uvarintSize(taggedPayloads.length)
  for (const payload of taggedPayloads) size += uvarintSize(payload.tag) + uvarintSize(payload.size) + payload.size
  return size
}

function sizeOfValue(field: FieldSpec, value: unknown, version: number, flexible: boolean): number {
  if (field.array) {
    if (value === null) return flexible ? 1 : 4
    const items = value as unknown[]
    let size = flexible ? uvarintSize(items.length + 1) : 4
    for (const item of items) size += sizeOfElement(field, item, version, flexible)
    return size
  }
  return sizeOfElement(field, value, version, flexible)
}

function sizeOfElement(field: FieldSpec, value: unknown, version: number, flexible: boolean): number {
  if (field.fields !== null) return wireSize(field.fields, value as SampleStruct, version, flexible)
  switch (field.scalar) {
    case 'int8':
    case 'bool':
      return 1
    case 'int16':
    case 'uint16':
      return 2
    case 'int32':
      return 4
    case 'int64':
    case 'float64':
      return 8
    case 'uuid':
      return 16
    case 'string':
      return lengthPrefixed(value === null ? null : Buffer.byteLength(value as string), flexible, 2)
    default:
      return lengthPrefixed(value === null ? null : (value as Buffer).length, flexible, 4)
  }
}

/** Classic: a fixed-size length (-1 = null); compact: uvarint length + 1 (0 = null). */
function lengthPrefixed(length: number | null, flexible: boolean, classicPrefix: number): number {
  if (length === null) return flexible ? 1 : classicPrefix
  return (flexible ? uvarintSize(length + 1) : classicPrefix) + length
}

export function uvarintSize(v: number): number {
  let size = 1
  while (v >= 0x80) {
    v = Math.floor(v / 0x80)
    size++
  }
  return size
}
