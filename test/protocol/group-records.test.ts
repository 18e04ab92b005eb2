import {expect} from 'chai'
import {
  consumerOffsetsPartition,
  decodeGroupMetadataValue,
  decodeGroupRecordKey,
  decodeOffsetCommitValue,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  GroupMetadataKeySchema,
  GroupMetadataValueSchema,
  OffsetCommitKeySchema,
  OffsetCommitValueSchema,
} from '../../src/protocol/group-records.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import type {DataDef} from '../../src/protocol/schema.js'
import {checksRecordSchemas} from './data-round-trip.js'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

// Golden bytes worked out by hand from records/*.json: int16 version, then the fields in order;
// classic encoding up to v3, compact lengths and a trailing tagged-field section from v4.
const T = '0000018bcfe56800' // 1700000000000
const OFFSET_KEY_V1 = hex('0001 0001 67 0001 74 00000003')
const GROUP_KEY_V2 = hex('0002 0003 677270')
const OFFSET_VALUE_V1 = hex(`0001 000000000000002a 0001 6d ${T} 0000018bcfe56be8`)
const OFFSET_VALUE_V3 = hex(`0003 000000000000002a 00000005 0000 ${T}`)
const OFFSET_VALUE_V4 = hex(`0004 000000000000002a 00000005 02 6d ${T} 00`)
const EMPTY_GROUP_V0 = hex('0000 0008 636f6e73756d6572 00000000 ffff ffff 00000000')
const STABLE_GROUP_V3 = hex(`
  0003
  0008 636f6e73756d6572
  00000001
  0005 72616e6765
  0002 6d31
  ${T}
  00000001
    0002 6d31
    ffff
    0001 63
    0008 2f312e322e332e34
    000493e0
    0000afc8
    00000001 aa
    00000001 bb`)

const SCHEMAS: DataDef<unknown>[] = [OffsetCommitKeySchema, OffsetCommitValueSchema, GroupMetadataKeySchema, GroupMetadataValueSchema]

describe('__consumer_offsets records', () => {
  checksRecordSchemas(SCHEMAS)

  describe('keys', () => {
    it('an offset commit key, v1 as Kafka writes it (v0 has the same layout)', () => {
      expect(encodeOffsetCommitKey({group: 'g', topic: 't', partition: 3})).to.deep.equal(OFFSET_KEY_V1)
      expect(decodeGroupRecordKey(OFFSET_KEY_V1)).to.deep.equal({type: 'offset-commit', version: 1, key: {group: 'g', topic: 't', partition: 3}})
      const v0 = Buffer.concat([hex('0000'), OFFSET_KEY_V1.subarray(2)])
      expect(encodeOffsetCommitKey({group: 'g', topic: 't', partition: 3}, 0)).to.deep.equal(v0)
      expect(decodeGroupRecordKey(v0)).to.include({type: 'offset-commit', version: 0})
    })

    it('a group metadata key is version 2', () => {
      expect(encodeGroupMetadataKey({group: 'grp'})).to.deep.equal(GROUP_KEY_V2)
      expect(decodeGroupRecordKey(GROUP_KEY_V2)).to.deep.equal({type: 'group-metadata', version: 2, key: {group: 'grp'}})
    })

    it('keys of version 3 and above are the new protocols\' records, left unread', () => {
      expect(decodeGroupRecordKey(hex('0003 0001 67'))).to.deep.equal({type: 'other', version: 3})
      expect(decodeGroupRecordKey(hex('0009'))).to.deep.equal({type: 'other', version: 9})
    })

    it('refuses short, negative-version, truncated and overlong keys', () => {
      expect(() => decodeGroupRecordKey(hex('00'))).to.throw(ProtocolError, /1 bytes/)
      expect(() => decodeGroupRecordKey(hex('ffff 0001 67'))).to.throw(ProtocolError, /version -1/)
      expect(() => decodeGroupRecordKey(OFFSET_KEY_V1.subarray(0, 8))).to.throw(ProtocolError, /malformed OffsetCommitKey v1/)
      expect(() => decodeGroupRecordKey(Buffer.concat([GROUP_KEY_V2, hex('00')]))).to.throw(ProtocolError, /1 bytes after the end/)
    })
  })

  describe('offset commit values', () => {
    it('v3, as Kafka writes them, with the leader epoch', () => {
      const value = {offset: 42, leaderEpoch: 5, metadata: '', commitTimestamp: 1700000000000, expireTimestamp: -1}
      expect(encodeOffsetCommitValue(value)).to.deep.equal(OFFSET_VALUE_V3)
      expect(decodeOffsetCommitValue(OFFSET_VALUE_V3)).to.deep.equal({version: 3, value})
    })

    it('v1 carries an expiry and no leader epoch', () => {
      expect(decodeOffsetCommitValue(OFFSET_VALUE_V1)).to.deep.equal({
        version: 1,
        value: {offset: 42, leaderEpoch: -1, metadata: 'm', commitTimestamp: 1700000000000, expireTimestamp: 1700000001000},
      })
    })

    it('v4 is flexible: compact metadata and a tagged-field section', () => {
      const value = {offset: 42, leaderEpoch: 5, metadata: 'm', commitTimestamp: 1700000000000, expireTimestamp: -1}
      expect(encodeOffsetCommitValue(value, 4)).to.deep.equal(OFFSET_VALUE_V4)
      expect(decodeOffsetCommitValue(OFFSET_VALUE_V4)).to.deep.equal({version: 4, value})
    })

    it('refuses versions it does not know', () => {
      const v5 = Buffer.concat([hex('0005'), OFFSET_VALUE_V4.subarray(2)])
      expect(() => decodeOffsetCommitValue(v5)).to.throw(ProtocolError, /OffsetCommitValue version 5 is not known \(versions 0-4\)/)
      expect(() => encodeOffsetCommitValue({offset: 0, leaderEpoch: -1, metadata: '', commitTimestamp: 0, expireTimestamp: -1}, 5)).to.throw(
        ProtocolError,
        /no version 5/,
      )
    })
  })

  describe('group metadata values', () => {
    it('v0 of an empty group: no protocol, no leader, no members', () => {
      expect(decodeGroupMetadataValue(EMPTY_GROUP_V0)).to.deep.equal({
        version: 0,
        value: {protocolType: 'consumer', generation: 0, protocol: null, leader: null, currentStateTimestamp: -1, members: []},
      })
    })

    it('v3 of a stable group, as Kafka writes it', () => {
      const value = {
        protocolType: 'consumer',
        generation: 1,
        protocol: 'range',
        leader: 'm1',
        currentStateTimestamp: 1700000000000,
        members: [
          {
            memberId: 'm1',
            groupInstanceId: null,
            clientId: 'c',
            clientHost: '/1.2.3.4',
            rebalanceTimeout: 300000,
            sessionTimeout: 45000,
            subscription: hex('aa'),
            assignment: hex('bb'),
          },
        ],
      }
      expect(encodeGroupMetadataValue(value)).to.deep.equal(STABLE_GROUP_V3)
      expect(decodeGroupMetadataValue(STABLE_GROUP_V3)).to.deep.equal({version: 3, value})
    })

    it('refuses a truncated value', () => {
      expect(() => decodeGroupMetadataValue(STABLE_GROUP_V3.subarray(0, 40))).to.throw(ProtocolError, /malformed GroupMetadataValue v3/)
    })
  })

  describe('partition of a group', () => {
    it("is Java's String.hashCode, made non-negative as Kafka's Utils.abs does, modulo the partition count", () => {
      expect(consumerOffsetsPartition('a')).to.equal(97 % 50)
      expect(consumerOffsetsPartition('ab')).to.equal((97 * 31 + 98) % 50)
      expect(consumerOffsetsPartition('Aa')).to.equal(consumerOffsetsPartition('BB'))
      // hashCode -1906497762: the absolute value, not a mask.
      expect(consumerOffsetsPartition('my-group')).to.equal(1906497762 % 50)
      // hashCode Integer.MIN_VALUE, whose absolute value Java cannot represent: Utils.abs gives 0.
      expect(consumerOffsetsPartition('polygenelubricants')).to.equal(0)
      expect(consumerOffsetsPartition('ab', 7)).to.equal(3105 % 7)
      expect(consumerOffsetsPartition('')).to.equal(0)
    })
  })
})
