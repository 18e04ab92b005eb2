import {expect} from 'chai'
import type {DataSpec, FieldSpec, MessageSpec, VersionRange} from '../../src/protocol/schema.js'
import {type KafkaField, type KafkaMessage, findKafkaMessagesDir, kafkaMessagesCandidates, loadKafkaMessage} from './kafka-json.js'
import {scalarZero} from './sample-message.js'

/**
 * Compares our declarations with Kafka's message JSON field by field: names (first letter
 * lower-cased), types, versions, nullable and tagged versions, tags and defaults (explicit on both
 * sides), nested structs included. Used for the API table and for the data schemas.
 */

/**
 * One test per declaration, comparing it with `<file>.json` (a path below the message directory).
 * Skipped, with a warning, when Kafka's message JSON is not beside the checkout.
 */
export function compareWithKafkaJson(declarations: {spec: DataSpec; file: string}[]): void {
  let dir = ''
  before(function () {
    const found = findKafkaMessagesDir()
    if (found === null) {
      console.warn(`    Kafka message JSON not found (looked in: ${kafkaMessagesCandidates().join(', ') || 'nowhere'}); set KAFKA_MESSAGES_DIR`)
      // Skipped because Kafka's message definitions are reference data kept outside the repository (the
      // project does not copy Kafka's JSON): a checkout with no shared/kafka-messages beside or above it,
      // and no KAFKA_MESSAGES_DIR, has nothing to compare with. CI's clone sits beside shared/, so there
      // these tests run; the round-trip and fixture tests run everywhere.
      this.skip()
    }
    dir = found
  })
  for (const {spec, file} of declarations) {
    it(spec.name, () => {
      expect(describeOurs(spec)).to.deep.equal(describeKafka(loadKafkaMessage(dir, file)))
    })
  }
}

/** One field as both sides are compared: versions as canonical text, defaults made explicit. */
interface ComparableField {
  name: string
  type: string
  versions: string
  nullableVersions: string | null
  tag: number | null
  taggedVersions: string | null
  default: unknown
  fields: ComparableField[] | null
}

const INTEGER_TYPES = new Set(['int8', 'int16', 'uint16', 'int32', 'int64', 'float64'])
const SCALAR_TYPES = new Set([...INTEGER_TYPES, 'bool', 'string', 'uuid', 'bytes'])


/** Our declaration as the comparison sees it (API key only for messages, not data schemas). */
export function describeOurs(spec: DataSpec | MessageSpec): object {
  return {
    ...('apiKey' in spec ? {apiKey: spec.apiKey} : {}),
    validVersions: ourRange(spec.validVersions),
    flexibleVersions: ourRange(spec.flexibleVersions),
    fields: spec.fields.map(ourField),
  }
}

/** Kafka's JSON as the comparison sees it, common structs resolved in place. */
export function describeKafka(message: KafkaMessage): object {
  const structs = new Map((message.commonStructs ?? []).map((struct) => [struct.name, struct.fields]))
  const field = (f: KafkaField): ComparableField => {
    const nested = f.fields ?? structs.get(f.type.replace(/^\[\]/, ''))
    const nullable = f.nullableVersions !== undefined
    return {
      name: f.name[0].toLowerCase() + f.name.slice(1),
      type: f.type,
      versions: canonical(f.versions ?? f.taggedVersions!),
      nullableVersions: nullable ? canonical(f.nullableVersions!) : null,
      tag: f.tag ?? null,
      taggedVersions: f.taggedVersions === undefined ? null : canonical(f.taggedVersions),
      default: f.default === undefined ? implicitDefault(f.type, nullable) : parseDefault(f.type, String(f.default)),
      fields: nested ? nested.map(field) : null,
    }
  }
  return {
    ...(message.apiKey === undefined ? {} : {apiKey: message.apiKey}),
    validVersions: canonical(message.validVersions),
    flexibleVersions: canonical(message.flexibleVersions),
    fields: message.fields.map(field),
  }
}

function ourField(f: FieldSpec): ComparableField {
  const nullable = f.nullableVersions !== null
  return {
    name: f.name,
    type: f.type,
    versions: ourRange(f.versions),
    nullableVersions: nullable ? ourRange(f.nullableVersions!) : null,
    tag: f.tag,
    taggedVersions: f.taggedVersions === null ? null : ourRange(f.taggedVersions),
    default: f.default === undefined ? implicitDefault(f.type, nullable) : f.default,
    fields: f.fields === null ? null : f.fields.map(ourField),
  }
}

/** Kafka's version text in one spelling: '3+', '0-12', '7' or 'none'. */
function canonical(text: string): string {
  if (text === 'none') return 'none'
  const [, min, plus, max] = /^(\d+)(\+)?(?:-(\d+))?$/.exec(text) ?? []
  if (min === undefined) throw new Error(`unexpected version text ${text}`)
  if (plus) return `${Number(min)}+`
  return max === undefined || Number(max) === Number(min) ? `${Number(min)}` : `${Number(min)}-${Number(max)}`
}

function ourRange(range: VersionRange): string {
  if (range.min > range.max) return 'none'
  if (range.max === Infinity) return `${range.min}+`
  return range.min === range.max ? `${range.min}` : `${range.min}-${range.max}`
}

/** The default the contract gives a field without one: null if nullable, else the type's zero. */
function implicitDefault(type: string, nullable: boolean): unknown {
  if (nullable || type === 'records') return null
  if (type.startsWith('[]')) return '(empty array)'
  return SCALAR_TYPES.has(type) ? scalarZero(type) : '(struct of defaults)'
}

function parseDefault(type: string, text: string): unknown {
  if (text === 'null') return null
  if (type === 'bool') return text === 'true'
  if (INTEGER_TYPES.has(type)) return Number(text)
  return text
}
