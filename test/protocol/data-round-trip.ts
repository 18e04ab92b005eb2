import {expect} from 'chai'
import type {DataDef, DataSpec} from '../../src/protocol/schema.js'
import {type VersionedCodec, versionedCodec} from '../../src/protocol/versioned-data.js'
import {compareWithKafkaJson} from './schema-compare.js'
import {type SampleOptions, sampleStruct} from './sample-message.js'
import {wireSize} from './wire-size.js'

const VARIANTS: {name: string; options: SampleOptions}[] = [
  {name: 'every field set', options: {nulls: false, unknownTags: false}},
  {name: 'nulls and unknown tagged fields', options: {nulls: true, unknownTags: true}},
]

/**
 * One test per version and variant of a data schema, as round-trip.test.ts does for messages:
 * sample values that are never the defaults, the encoded length checked against the schema
 * (int16 version + struct), decoded back to the same value and re-encoded to the same bytes.
 */
export function roundTripsEveryVersion(spec: DataSpec, codec: VersionedCodec<unknown>): void {
  for (let version = spec.validVersions.min; version <= spec.validVersions.max; version++) {
    const flexible = version >= spec.flexibleVersions.min && version <= spec.flexibleVersions.max
    for (const {name, options} of VARIANTS) {
      it(`v${version}: ${name}`, () => {
        const value = sampleStruct(spec.fields, version, flexible, options)
        const bytes = codec.encode(value, version)
        expect(bytes.readInt16BE(0), 'version').to.equal(version)
        expect(bytes.length, 'length').to.equal(2 + wireSize(spec.fields, value, version, flexible))
        const decoded = codec.decode(bytes)
        expect(decoded).to.deep.equal({version, value})
        expect(codec.encode(decoded.value, version).equals(bytes), 're-encoded bytes').to.equal(true)
      })
    }
  }
}

/**
 * The checks every record schema gets (the keys and values of an internal topic): compared with
 * Kafka's records/<name>.json field by field, and round-tripped at every version.
 */
export function checksRecordSchemas(schemas: DataDef<unknown>[]): void {
  describe("match Kafka's JSON field by field", () => {
    compareWithKafkaJson(schemas.map(({spec}) => ({spec, file: `records/${spec.name}`})))
  })
  for (const schema of schemas) {
    describe(`${schema.spec.name} round-trips at every version`, () => {
      roundTripsEveryVersion(schema.spec, versionedCodec(schema, 'refuse'))
    })
  }
}
