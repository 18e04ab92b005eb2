/**
 * The __consumer_offsets records this coordinator writes, in the versions Kafka writes: an offset
 * is OffsetCommitKey v1 + OffsetCommitValue v3, or v1 when it carries an explicit expiry (v3 has no
 * expireTimestamp); a group is GroupMetadataKey v2 + GroupMetadataValue v3. A null value is a
 * tombstone, which deletes the key's entry on replay and is dropped by compaction later.
 */
import {encodeGroupMetadataKey, encodeGroupMetadataValue, encodeOffsetCommitKey, encodeOffsetCommitValue,
  GroupRecordVersion, type GroupMetadataValue} from '../../protocol/index.js'
import type {CommittedOffset, TopicPartitionRef} from './committed-offsets.js'
import type {GroupLogRecord} from './group-log-writer.js'

/** OffsetCommitValue v1: the version with expireTimestamp. */
const EXPIRING_OFFSET_VALUE_VERSION = 1

export function offsetCommitRecord(groupId: string, {topic, partition}: TopicPartitionRef, committed: CommittedOffset): GroupLogRecord {
  const version = committed.expireTimestamp >= 0 ? EXPIRING_OFFSET_VALUE_VERSION : GroupRecordVersion.OffsetCommitValue
  return {key: encodeOffsetCommitKey({group: groupId, topic, partition}), value: encodeOffsetCommitValue({...committed}, version)}
}

/** The offset as a replay reads it back: a v1 value has no leader epoch. */
export function asStored(committed: CommittedOffset): CommittedOffset {
  return committed.expireTimestamp >= 0 && committed.leaderEpoch !== -1 ? {...committed, leaderEpoch: -1} : committed
}

export function offsetTombstone(groupId: string, {topic, partition}: TopicPartitionRef): GroupLogRecord {
  return {key: encodeOffsetCommitKey({group: groupId, topic, partition}), value: null}
}

export function groupMetadataRecord(groupId: string, value: GroupMetadataValue): GroupLogRecord {
  return {key: encodeGroupMetadataKey({group: groupId}), value: encodeGroupMetadataValue(value)}
}

export function groupMetadataTombstone(groupId: string): GroupLogRecord {
  return {key: encodeGroupMetadataKey({group: groupId}), value: null}
}
