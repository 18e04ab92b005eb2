import type {Codec} from './codec.js'
import {defaultMaker, defaultTester} from './field-defaults.js'
import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'
import {scalarCodec} from './scalar-codecs.js'
import {type FieldSpec, inRange} from './schema.js'
import type {TaggedField} from './tagged-fields.js'
import {Writer} from './writer.js'

export type Struct = Record<string, unknown> & {unknownTaggedFields?: TaggedField[]}

interface TaggedMember {
  name: string
  tag: number
  codec: Codec<unknown>
  isDefault: (value: unknown) => boolean
}

type ReadStep = (r: Reader, into: Struct) => void
type WriteStep = (w: Writer, from: Struct) => void

/**
 * Builds the codec of a struct (a message body, or an array element) at one version. The field
 * list is walked here, once; the returned closures only run the steps chosen for this version:
 * regular fields in wire order, defaults for fields this version lacks, and, in flexible versions,
 * the tagged-field section that ends every struct.
 *
 * Decoded structs carry every field in schema order. Encoding reads each regular field from the
 * value, or its default when the value lacks it.
 */
export function buildStructCodec(fields: readonly FieldSpec[], version: number, flexible: boolean): Codec<Struct> {
  const readSteps: ReadStep[] = []
  const writeSteps: WriteStep[] = []
  const tagged: TaggedMember[] = []
  for (const field of fields) {
    const name = field.name
    const makeDefault = defaultMaker(field)
    // Absent fields, and tagged ones until their tag is read, hold their default.
    const setDefault: ReadStep = (_r, into) => {
      into[name] = makeDefault()
    }
    if (!inRange(field.versions, version)) {
      readSteps.push(setDefault)
      continue
    }
    const codec = fieldCodec(field, version, flexible)
    if (flexible && inRange(field.taggedVersions, version)) {
      readSteps.push(setDefault)
      tagged.push({name, tag: field.tag as number, codec, isDefault: defaultTester(field)})
      continue
    }
    readSteps.push((r, into) => {
      into[name] = codec.read(r)
    })
    writeSteps.push((w, from) => {
      const value = from[name]
      codec.write(w, value === undefined ? makeDefault() : value)
    })
  }
  tagged.sort((a, b) => a.tag - b.tag)
  const tagSection = flexible ? taggedSectionCodec(tagged) : null

  return {
    read(r) {
      const into: Struct = {}
      for (const step of readSteps) step(r, into)
      tagSection?.read(r, into)
      return into
    },
    write(w, from) {
      for (const step of writeSteps) step(w, from)
      tagSection?.write(w, from)
    },
  }
}

/** The codec of one field's value at a version: a scalar, an array, or a nested struct. */
function fieldCodec(field: FieldSpec, version: number, flexible: boolean): Codec<unknown> {
  const nullable = inRange(field.nullableVersions, version)
  const element =
    field.fields === null
      ? scalarCodec(field.scalar!, flexible, nullable && !field.array)
      : buildStructCodec(field.fields, version, flexible)
  if (field.array) return arrayCodec(element, flexible, nullable, field.name)
  if (nullable && field.fields !== null) throw new ProtocolError(`nullable struct ${field.name} is not supported`)
  return element as Codec<unknown>
}

function arrayCodec(element: Codec<unknown>, compact: boolean, nullable: boolean, name: string): Codec<unknown> {
  return {
    read(r) {
      const count = compact ? r.compactArrayLength() : r.arrayLength()
      if (count < 0) {
        if (nullable) return null
        r.fail(`null array ${name} where null is not allowed`)
      }
      // Elements are pushed one by one and reading stops at the first failure, so memory follows
      // the bytes actually present, not the count the peer claims.
      const items: unknown[] = []
      for (let i = 0; i < count && !r.failed; i++) items.push(element.read(r))
      return items
    },
    write(w, value) {
      if (value === null) {
        if (!nullable) throw new ProtocolError(`array ${name} may not be null in this version`)
        if (compact) w.compactArrayLength(-1)
        else w.arrayLength(-1)
        return
      }
      if (!Array.isArray(value)) throw new ProtocolError(`array ${name}: expected an array, got ${typeof value}`)
      if (compact) w.compactArrayLength(value.length)
      else w.arrayLength(value.length)
      for (const item of value) element.write(w, item)
    },
  }
}

/**
 * The tagged-field section: uvarint count, then {uvarint tag, uvarint size, payload} in ascending
 * tag order. Known tags decode into their fields; unknown ones are kept as raw bytes and written
 * back. A known field is sent only when it differs from its default.
 */
function taggedSectionCodec(members: TaggedMember[]): {
  read(r: Reader, into: Struct): void
  write(w: Writer, from: Struct): void
} {
  const byTag = new Map(members.map((member) => [member.tag, member]))
  return {
    read(r, into) {
      const count = r.uvarint()
      let unknown: TaggedField[] | undefined
      for (let i = 0; i < count && !r.failed; i++) {
        const tag = r.uvarint()
        const data = r.raw(r.uvarint())
        const member = byTag.get(tag)
        if (member === undefined) {
          ;(unknown ??= []).push({tag, data})
          continue
        }
        const payload = new Reader(data)
        into[member.name] = member.codec.read(payload)
        if (payload.failed) r.fail(`tagged field ${tag}: ${payload.failure}`)
      }
      if (unknown !== undefined && !r.failed) into.unknownTaggedFields = unknown
    },
    write(w, from) {
      const unknown = from.unknownTaggedFields
      if (members.length === 0 && !unknown?.length) {
        w.uvarint(0)
        return
      }
      const entries: TaggedField[] = []
      for (const member of members) {
        const value = from[member.name]
        if (value === undefined || member.isDefault(value)) continue
        const payload = new Writer(64)
        member.codec.write(payload, value)
        entries.push({tag: member.tag, data: payload.finish()})
      }
      for (const field of unknown ?? []) if (!byTag.has(field.tag)) entries.push(field)
      entries.sort((a, b) => a.tag - b.tag)
      w.uvarint(entries.length)
      for (const entry of entries) {
        w.uvarint(entry.tag)
        w.uvarint(entry.data.length)
        w.raw(entry.data)
      }
    },
  }
}
