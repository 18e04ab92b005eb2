import type {FieldSpec} from './schema.js'
import {ZERO_UUID} from './uuid.js'

/**
 * What a field holds when its version lacks it, and whether a value equals that (tagged fields are
 * only sent when they differ from it). Kafka's explicit default wins; otherwise null for a field
 * that is nullable in any version, else the type's zero: 0, '', false, [], empty bytes, the zero
 * UUID, or a struct of its fields' defaults.
 */
export function defaultMaker(field: FieldSpec): () => unknown {
  const explicit = field.default
  if (explicit !== undefined) return () => explicit
  if (field.nullableVersions !== null || field.scalar === 'records') return () => null
  if (field.array) return () => []
  if (field.fields !== null) {
    const members = field.fields.map((member) => [member.name, defaultMaker(member)] as const)
    return () => Object.fromEntries(members.map(([name, make]) => [name, make()]))
  }
  const zero = scalarZero(field)
  return () => zero
}

export function defaultTester(field: FieldSpec): (value: unknown) => boolean {
  const explicit = field.default
  if (explicit !== undefined || field.nullableVersions !== null || field.scalar === 'records') {
    const expected = explicit ?? null
    return (value) => value === expected
  }
  if (field.array) return (value) => Array.isArray(value) && value.length === 0
  if (field.fields !== null) {
    const members = field.fields.map((member) => [member.name, defaultTester(member)] as const)
    return (value) => {
      const struct = value as Record<string, unknown> & {unknownTaggedFields?: unknown[]}
      return !struct.unknownTaggedFields?.length && members.every(([name, isDefault]) => isDefault(struct[name]))
    }
  }
  if (field.scalar === 'bytes') return (value) => Buffer.isBuffer(value) && value.length === 0
  const zero = scalarZero(field)
  return (value) => value === zero
}

const EMPTY_BYTES = Buffer.alloc(0)

function scalarZero(field: FieldSpec): unknown {
  switch (field.scalar) {
    case 'bool':
      return false
    case 'string':
      return ''
    case 'uuid':
      return ZERO_UUID
    case 'bytes':
      return EMPTY_BYTES
    default:
      return 0
  }
}
