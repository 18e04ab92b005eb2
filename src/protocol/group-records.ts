import {ProtocolError} from './protocol-error.js'
import {array, data, field, type DataValue} from './schema.js'
import {type Versioned, versionedCodec} from './versioned-data.js'

/**
 * The records of __consumer_offsets, the compacted topic in which a group coordinator keeps
 * committed offsets and group metadata, in Kafka's formats (group-coordinator's
 * OffsetCommitKey/Value.json and GroupMetadataKey/Value.json). Key and value are each an int16
 * version, then the struct at that version; a null value (tombstone) deletes the key's entry.
 *
 * The key's version says what the record is:
 *   0, 1  OffsetCommitKey    group STRING | topic STRING | partition INT32   (Kafka writes 1)
 *   2     GroupMetadataKey   group STRING
 *   3+    KIP-848 and share-group records, which a classic coordinator skips.
 *
 * OffsetCommitValue: offset INT64 | v3 leaderEpoch INT32 | metadata STRING | commitTimestamp INT64
 *   | v1 only expireTimestamp INT64. Kafka writes v3 (v1 when an expiry was asked for).
 * GroupMetadataValue: protocolType STRING | generation INT32 | protocol NULLABLE_STRING
 *   | leader NULLABLE_STRING | v2 currentStateTimestamp INT64 | members [MemberMetadata], each
 *   memberId STRING | v3 groupInstanceId NULLABLE_STRING | clientId STRING | clientHost STRING
 *   | v1 rebalanceTimeout INT32 | sessionTimeout INT32 | subscription BYTES | assignment BYTES.
 *   Kafka writes v3.
 * Both values are flexible from v4 (compact lengths, tagged fields), which no Kafka writes yet.
 *
 * Versions outside these ranges, and bytes after the struct, are refused: a record whose layout is
 * not known exactly is not read.
 */

export const OffsetCommitKeySchema = data('OffsetCommitKey', {versions: '0-1', flexible: 'none'}, {
  group: field('string', '0-1'),
  topic: field('string', '0-1'),
  partition: field('int32', '0-1'),
})

export const OffsetCommitValueSchema = data('OffsetCommitValue', {versions: '0-4', flexible: '4+'}, {
  offset: field('int64', '0+'),
  leaderEpoch: field('int32', '3+', {default: -1}),
  metadata: field('string', '0+'),
  commitTimestamp: field('int64', '0+'),
  expireTimestamp: field('int64', '1', {default: -1}),
})

export const GroupMetadataKeySchema = data('GroupMetadataKey', {versions: '2', flexible: 'none'}, {
  group: field('string', '2'),
})

export const GroupMetadataValueSchema = data('GroupMetadataValue', {versions: '0-4', flexible: '4+'}, {
  protocolType: field('string', '0+'),
  generation: field('int32', '0+'),
  protocol: field('string', '0+', {nullable: '0+'}),
  leader: field('string', '0+', {nullable: '0+'}),
  currentStateTimestamp: field('int64', '2+', {default: -1}),
  members: array('MemberMetadata', '0+', {
    memberId: field('string', '0+'),
    groupInstanceId: field('string', '3+', {nullable: '3+', default: null}),
    clientId: field('string', '0+'),
    clientHost: field('string', '0+'),
    rebalanceTimeout: field('int32', '1+', {default: -1}),
    sessionTimeout: field('int32', '0+'),
    subscription: field('bytes', '0+'),
    assignment: field('bytes', '0+'),
  }),
})

export type OffsetCommitKey = DataValue<typeof OffsetCommitKeySchema>
export type OffsetCommitValue = DataValue<typeof OffsetCommitValueSchema>
export type GroupMetadataKey = DataValue<typeof GroupMetadataKeySchema>
export type GroupMetadataValue = DataValue<typeof GroupMetadataValueSchema>
export type GroupMemberMetadata = GroupMetadataValue['members'][number]

/** The versions Kafka writes, and Weir with it. */
export const GroupRecordVersion = {
  OffsetCommitKey: 1,
  GroupMetadataKey: 2,
  OffsetCommitValue: 3,
  GroupMetadataValue: 3,
} as const

const offsetCommitKeys = versionedCodec(OffsetCommitKeySchema, 'refuse')
const offsetCommitValues = versionedCodec(OffsetCommitValueSchema, 'refuse')
const groupMetadataKeys = versionedCodec(GroupMetadataKeySchema, 'refuse')
const groupMetadataValues = versionedCodec(GroupMetadataValueSchema, 'refuse')

/** A __consumer_offsets key, told apart by its version. */
export type GroupRecordKey =
  | {readonly type: 'offset-commit'; readonly version: number; readonly key: OffsetCommitKey}
  | {readonly type: 'group-metadata'; readonly version: number; readonly key: GroupMetadataKey}
  /** A record of the KIP-848 or share-group protocols (key version 3 and above). */
  | {readonly type: 'other'; readonly version: number}

export function decodeGroupRecordKey(bytes: Buffer): GroupRecordKey {
  if (bytes.length < 2) throw new ProtocolError(`malformed __consumer_offsets key: ${bytes.length} bytes`)
  const version = bytes.readInt16BE(0)
  if (version < 0) throw new ProtocolError(`malformed __consumer_offsets key: version ${version}`)
  if (version <= offsetCommitKeys.versions.max) return {type: 'offset-commit', version, key: offsetCommitKeys.decode(bytes).value}
  if (version <= groupMetadataKeys.versions.max) return {type: 'group-metadata', version, key: groupMetadataKeys.decode(bytes).value}
  return {type: 'other', version}
}

export function encodeOffsetCommitKey(key: OffsetCommitKey, version: number = GroupRecordVersion.OffsetCommitKey): Buffer {
  return offsetCommitKeys.encode(key, version)
}

export function encodeGroupMetadataKey(key: GroupMetadataKey): Buffer {
  return groupMetadataKeys.encode(key, GroupRecordVersion.GroupMetadataKey)
}

export function encodeOffsetCommitValue(value: OffsetCommitValue, version: number = GroupRecordVersion.OffsetCommitValue): Buffer {
  return offsetCommitValues.encode(value, version)
}

export function decodeOffsetCommitValue(bytes: Buffer): Versioned<OffsetCommitValue> {
  return offsetCommitValues.decode(bytes)
}

export function encodeGroupMetadataValue(value: GroupMetadataValue, version: number = GroupRecordVersion.GroupMetadataValue): Buffer {
  return groupMetadataValues.encode(value, version)
}

export function decodeGroupMetadataValue(bytes: Buffer): Versioned<GroupMetadataValue> {
  return groupMetadataValues.decode(bytes)
}

/** Kafka's default partition count of __consumer_offsets (offsets.topic.num.partitions). */
export const CONSUMER_OFFSETS_PARTITIONS = 50

/**
 * The __consumer_offsets partition of a group, as Kafka places it: Java's String.hashCode of the
 * group id (over UTF-16 code units), made non-negative by Kafka's Utils.abs (MIN_VALUE gives 0),
 * modulo the partition count.
 */
export function consumerOffsetsPartition(groupId: string, partitions: number = CONSUMER_OFFSETS_PARTITIONS): number {
  let hash = 0
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(31, hash) + groupId.charCodeAt(i)) | 0
  const abs = hash === -2147483648 ? 0 : Math.abs(hash)
  return abs % partitions
}
