import {expect} from 'chai'
import {
  ConsumerProtocolAssignmentSchema,
  ConsumerProtocolSubscriptionSchema,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../src/protocol/consumer-protocol.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import {versionedCodec} from '../../src/protocol/versioned-data.js'
import {roundTripsEveryVersion} from './data-round-trip.js'
import {compareWithKafkaJson} from './schema-compare.js'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

// Golden bytes worked out by hand from ConsumerProtocolSubscription.json and
// ConsumerProtocolAssignment.json: int16 version, then the fields in order, never flexible
// (int16 string lengths, int32 array and bytes lengths, -1 for null).
const SUBSCRIPTION_V0 = hex(`
  0000
  00000001 0001 74
  ffffffff`)
const SUBSCRIPTION_V3 = hex(`
  0003
  00000002 0001 61 0001 62
  00000002 0102
  00000001 0001 61 00000002 00000000 00000002
  00000007
  0002 7231`)
const ASSIGNMENT_V0 = hex(`
  0000
  00000002 0001 61 00000002 00000000 00000001 0001 62 00000000
  ffffffff`)
const ASSIGNMENT_V3 = hex(`
  0003
  00000001 0001 74 00000001 00000005
  00000003 abcdef`)

describe('consumer protocol', () => {
  describe("matches Kafka's JSON field by field", () => {
    compareWithKafkaJson([
      {spec: ConsumerProtocolSubscriptionSchema.spec, file: 'ConsumerProtocolSubscription'},
      {spec: ConsumerProtocolAssignmentSchema.spec, file: 'ConsumerProtocolAssignment'},
    ])
  })

  describe('subscription round-trips at every version', () => {
    roundTripsEveryVersion(ConsumerProtocolSubscriptionSchema.spec, versionedCodec(ConsumerProtocolSubscriptionSchema, 'read-as-highest'))
  })

  describe('assignment round-trips at every version', () => {
    roundTripsEveryVersion(ConsumerProtocolAssignmentSchema.spec, versionedCodec(ConsumerProtocolAssignmentSchema, 'read-as-highest'))
  })

  describe('subscription', () => {
    it('v0: topics and null user data', () => {
      expect(encodeSubscription({topics: ['t']}, 0)).to.deep.equal(SUBSCRIPTION_V0)
      expect(decodeSubscription(SUBSCRIPTION_V0)).to.deep.equal({
        version: 0,
        value: {topics: ['t'], userData: null, ownedPartitions: [], generationId: -1, rackId: null},
      })
    })

    it('v3: owned partitions, generation and rack', () => {
      const value = {
        topics: ['a', 'b'],
        userData: hex('0102'),
        ownedPartitions: [{topic: 'a', partitions: [0, 2]}],
        generationId: 7,
        rackId: 'r1',
      }
      expect(encodeSubscription(value)).to.deep.equal(SUBSCRIPTION_V3)
      expect(decodeSubscription(SUBSCRIPTION_V3)).to.deep.equal({version: 3, value})
    })

    it('reads a newer version as v3 and ignores the fields it appends', () => {
      const v5 = Buffer.concat([hex('0005'), SUBSCRIPTION_V3.subarray(2), hex('0000002a ffff')])
      const {version, value} = decodeSubscription(v5)
      expect(version).to.equal(5)
      expect(value).to.deep.equal(decodeSubscription(SUBSCRIPTION_V3).value)
    })

    it('refuses bytes that are not a subscription', () => {
      expect(() => decodeSubscription(hex(''))).to.throw(ProtocolError, /ConsumerProtocolSubscription version/)
      expect(() => decodeSubscription(hex('ffff 00000000 ffffffff'))).to.throw(ProtocolError, /version -1 is not known/)
      expect(() => decodeSubscription(SUBSCRIPTION_V3.subarray(0, 20))).to.throw(ProtocolError, /malformed ConsumerProtocolSubscription v3/)
      expect(() => encodeSubscription({topics: []}, 4)).to.throw(ProtocolError, /no version 4/)
    })
  })

  describe('assignment', () => {
    it('v0: partitions of two topics, null user data', () => {
      const value = {assignedPartitions: [{topic: 'a', partitions: [0, 1]}, {topic: 'b', partitions: []}], userData: null}
      expect(encodeAssignment(value, 0)).to.deep.equal(ASSIGNMENT_V0)
      expect(decodeAssignment(ASSIGNMENT_V0)).to.deep.equal({version: 0, value})
    })

    it('v3: the same layout as v0, with user data', () => {
      const value = {assignedPartitions: [{topic: 't', partitions: [5]}], userData: hex('abcdef')}
      expect(encodeAssignment(value)).to.deep.equal(ASSIGNMENT_V3)
      expect(decodeAssignment(ASSIGNMENT_V3)).to.deep.equal({version: 3, value})
    })

    it('reads zero bytes as an empty assignment', () => {
      expect(decodeAssignment(Buffer.alloc(0))).to.deep.equal({version: 0, value: {assignedPartitions: [], userData: null}})
    })

    it('refuses a truncated assignment', () => {
      expect(() => decodeAssignment(ASSIGNMENT_V0.subarray(0, 9))).to.throw(ProtocolError, /malformed ConsumerProtocolAssignment v0/)
    })
  })
})
