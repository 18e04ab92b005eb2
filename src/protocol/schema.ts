import {ProtocolError} from './protocol-error.js'
import type {TaggedField} from './tagged-fields.js'

/**
 * The schema DSL. Each API's request and response are declared once (src/protocol/messages/),
 * mirroring Kafka's message JSON: field order is wire order, and every field has the versions it
 * exists in, the versions it may be null in, and the versions in which it is a tagged field.
 *
 *   topics: array('MetadataRequestTopic', '0+', {
 *     topicId: field('uuid', '10+'),
 *     name: field('string', '0+', {nullable: '10+'}),
 *   }, {nullable: '1+'}),
 *
 * Type names are Kafka's ('int32', 'string', '[]int32', 'records', 'uuid', ...), so a declaration
 * reads like the JSON it came from. The TypeScript type of a decoded message is inferred from the
 * declaration (MessageValue), and the codecs for every version are built from it once at load.
 */

/** Inclusive version range. 'none' is the empty range. */
export interface VersionRange {
  readonly min: number
  readonly max: number
}

export const NO_VERSIONS: VersionRange = {min: 1, max: 0}

/** Parses Kafka's version text: '3+', '0-12', '7' or 'none'. */
export function versionRange(text: string): VersionRange {
  if (text === 'none') return NO_VERSIONS
  const match = /^(\d+)(?:(\+)|-(\d+))?$/.exec(text)
  if (!match) throw new ProtocolError(`bad version range ${JSON.stringify(text)}`)
  const min = Number(match[1])
  const max = match[2] ? Infinity : match[3] === undefined ? min : Number(match[3])
  return {min, max}
}

export function inRange(range: VersionRange | null, version: number): boolean {
  return range !== null && version >= range.min && version <= range.max
}

/** Kafka's scalar types and the TypeScript types they decode to. */
export interface ScalarValues {
  int8: number
  int16: number
  uint16: number
  int32: number
  int64: number
  float64: number
  bool: boolean
  string: string
  bytes: Buffer
  records: Buffer | null
  uuid: string
}

export type ScalarType = keyof ScalarValues
export type ScalarTypeName = ScalarType | `[]${ScalarType}`
export type DefaultValue = number | string | boolean | null

export interface FieldOptions {
  /** Versions in which the value may be null (Kafka's nullableVersions). */
  readonly nullable?: string
  /** Tag number, with `tagged`: the versions in which the field is sent as a tagged field. */
  readonly tag?: number
  readonly tagged?: string
  /** Kafka's default, for versions that lack the field (else 0, '', false, [], or null if nullable). */
  readonly default?: DefaultValue
}

/** One field of a struct, as the codec builder and the schema test see it. */
export interface FieldSpec {
  /** Kafka's field name with the first letter lower-cased. */
  readonly name: string
  /** Kafka's type text: 'int32', '[]int32', '[]MetadataResponseTopic', 'LeaderIdAndEpoch'. */
  readonly type: string
  /** The scalar type of a scalar or of a scalar array's elements; null for structs. */
  readonly scalar: ScalarType | null
  readonly array: boolean
  /** The fields of a struct or of a struct array's elements. */
  readonly fields: readonly FieldSpec[] | null
  readonly versions: VersionRange
  readonly nullableVersions: VersionRange | null
  readonly tag: number | null
  readonly taggedVersions: VersionRange | null
  readonly default: DefaultValue | undefined
}

/** A versioned struct: Kafka's "type": "data" schemas, and the body of every message. */
export interface DataSpec {
  readonly name: string
  readonly validVersions: VersionRange
  readonly flexibleVersions: VersionRange
  readonly fields: readonly FieldSpec[]
}

export interface MessageSpec extends DataSpec {
  readonly apiKey: number
}

/** A field before it gets its name from its key; T is the decoded type (type-level only). */
export interface FieldDef<T> {
  readonly spec: Omit<FieldSpec, 'name'>
  readonly valueType?: T
}

export interface DataDef<T> {
  readonly spec: DataSpec
  readonly valueType?: T
}

export interface MessageDef<T> extends DataDef<T> {
  readonly spec: MessageSpec
}

export type FieldDefs = Readonly<Record<string, FieldDef<unknown>>>

type Simplify<T> = {[K in keyof T]: T[K]} & {}

export type StructValue<F extends FieldDefs> = Simplify<
  {-readonly [K in keyof F]: F[K] extends FieldDef<infer T> ? T : never} & {unknownTaggedFields?: TaggedField[]}
>

export type MessageValue<M> = M extends MessageDef<infer T> ? T : never
export type DataValue<D> = D extends DataDef<infer T> ? T : never

type ScalarValueOf<N extends ScalarTypeName> = N extends `[]${infer E extends ScalarType}`
  ? ScalarValues[E][]
  : N extends ScalarType
    ? ScalarValues[N]
    : never

type WithNull<T, O> = O extends {readonly nullable: string} ? T | null : T

/** A scalar or scalar-array field: field('int32', '0+'), field('[]int32', '5+'). */
export function field<N extends ScalarTypeName, O extends FieldOptions = {}>(
  type: N,
  versions: string,
  options?: O,
): FieldDef<WithNull<ScalarValueOf<N>, O>> {
  const array = type.startsWith('[]')
  const scalar = (array ? type.slice(2) : type) as ScalarType
  return {spec: fieldSpec(type, scalar, array, null, versions, options)}
}

/** An array of structs; `structName` is Kafka's name for the element type. */
export function array<F extends FieldDefs, O extends FieldOptions = {}>(
  structName: string,
  versions: string,
  fields: F,
  options?: O,
): FieldDef<WithNull<StructValue<F>[], O>> {
  return {spec: fieldSpec(`[]${structName}`, null, true, named(fields), versions, options)}
}

/** A single struct (in these APIs always a tagged field, e.g. CurrentLeader). */
export function struct<F extends FieldDefs>(
  structName: string,
  versions: string,
  fields: F,
  options?: Omit<FieldOptions, 'nullable'>,
): FieldDef<StructValue<F>> {
  return {spec: fieldSpec(structName, null, false, named(fields), versions, options)}
}

export function message<F extends FieldDefs>(
  name: string,
  header: {apiKey: number; versions: string; flexible: string},
  fields: F,
): MessageDef<StructValue<F>> {
  return {
    spec: {
      name,
      apiKey: header.apiKey,
      validVersions: versionRange(header.versions),
      flexibleVersions: versionRange(header.flexible),
      fields: named(fields),
    },
  }
}

/**
 * A versioned struct that is not a request or response (Kafka's "type": "data"): bytes carried
 * inside other messages or records, such as the consumer protocol's subscription and assignment.
 */
export function data<F extends FieldDefs>(
  name: string,
  header: {versions: string; flexible: string},
  fields: F,
): DataDef<StructValue<F>> {
  return {
    spec: {
      name,
      validVersions: versionRange(header.versions),
      flexibleVersions: versionRange(header.flexible),
      fields: named(fields),
    },
  }
}

function fieldSpec(
  type: string,
  scalar: ScalarType | null,
  array: boolean,
  fields: readonly FieldSpec[] | null,
  versions: string,
  options: FieldOptions = {},
): Omit<FieldSpec, 'name'> {
  if ((options.tag === undefined) !== (options.tagged === undefined)) {
    throw new ProtocolError(`field of type ${type}: tag and tagged versions go together`)
  }
  return {
    type,
    scalar,
    array,
    fields,
    versions: versionRange(versions),
    nullableVersions: options.nullable === undefined ? null : versionRange(options.nullable),
    tag: options.tag ?? null,
    taggedVersions: options.tagged === undefined ? null : versionRange(options.tagged),
    default: options.default,
  }
}

function named(fields: FieldDefs): FieldSpec[] {
  return Object.entries(fields).map(([name, def]) => ({name, ...def.spec}))
}
