/**
 * Committed offsets of every group, and the internal topic __consumer_offsets that holds them and
 * the groups' metadata (offsets-topic.ts), in Kafka's record formats (group-log-records.ts).
 *
 * At start-up load() replays the topic (group-log-replay.ts): the offsets are kept here, the
 * groups' last metadata goes to the membership side. Every change is a write of records to the
 * group's partition (group-log-writer.ts), flushed before it resolves; the offsets in memory follow
 * the log record by record. Expiry (offset-expiry.ts) tombstones offsets past
 * offsets.retention.minutes and tells the membership side when a group has none left.
 *
 * Offsets committed in a transaction (TxnOffsetCommit) are written as a transactional batch of the
 * producer and stay pending (pending-txn-offsets.ts) until the transaction coordinator appends the
 * transaction's marker to the group's partition through writeTxnMarker: COMMIT applies them, ABORT
 * drops them.
 */
import type {ControlBatchOptions, GroupMetadataValue} from '../../protocol/index.js'
import type {LogManager} from '../../storage/index.js'
import type {GroupSettings} from '../broker-settings.js'
import {CommittedOffsets, type CommittedOffset, type CommittedPartition, type TopicPartitionRef} from './committed-offsets.js'
import {replayPartition} from './group-log-replay.js'
import {asStored, groupMetadataRecord, groupMetadataTombstone, offsetCommitRecord, offsetTombstone} from './group-log-records.js'
import {GroupLogWriter, type GroupLogPlan, type TransactionalProducer} from './group-log-writer.js'
import type {GroupMembership} from './group-membership.js'
import type {GroupStore} from './group-store.js'
import {expiredOffsets, OffsetExpiryTimer} from './offset-expiry.js'
import {OffsetsTopic} from './offsets-topic.js'
import {PendingTxnOffsets} from './pending-txn-offsets.js'

export type {CommittedOffset, CommittedPartition, TopicPartitionRef} from './committed-offsets.js'

export interface OffsetStoreOptions {
  logs: LogManager
  settings: GroupSettings
  log: (line: string) => void
  /** The clock (tests move it). */
  now?: () => number
}

/** One partition's offset in an OffsetCommit. */
export interface OffsetCommitEntry extends TopicPartitionRef {
  readonly committed: CommittedOffset
}

export class OffsetStore implements GroupStore {
  /** The clock commit timestamps and expiry read. */
  readonly now: () => number
  private readonly offsets = new CommittedOffsets()
  private readonly pending = new PendingTxnOffsets()
  private readonly topic: OffsetsTopic
  private readonly writer: GroupLogWriter
  private membership: GroupMembership | undefined
  private expiry: OffsetExpiryTimer | undefined

  constructor(private readonly options: OffsetStoreOptions) {
    this.now = options.now ?? Date.now
    this.topic = new OffsetsTopic(options.logs, options.settings, options.log)
    this.writer = new GroupLogWriter(this.topic, this.now)
  }

  /** Replays __consumer_offsets (when it exists): the offsets are kept here, the groups' metadata returned. */
  async load(): Promise<ReadonlyMap<string, GroupMetadataValue>> {
    const groups = new Map<string, GroupMetadataValue>()
    const partitions = this.topic.partitions()
    let records = 0
    for (const partition of partitions) {
      const pending = new PendingTxnOffsets()
      records += await replayPartition(partition, {offsets: this.offsets, groups, pending, log: this.options.log})
      this.pending.addAll(pending)
    }
    if (partitions.length > 0) {
      const offsetCount = this.offsets.groupIds().reduce((sum, id) => sum + this.offsets.ofGroup(id).length, 0)
      this.options.log(`loaded ${offsetCount} committed offsets of ${this.offsets.groupIds().length} groups and the metadata of`
        + ` ${groups.size} groups from ${records} records of __consumer_offsets`)
    }
    return groups
  }

  /** Every group with committed offsets. */
  groupIds(): string[] {
    return this.offsets.groupIds()
  }

  /** Starts the offsets.retention.minutes expiry task. */
  startExpiry(membership: GroupMembership): void {
    this.membership = membership
    this.expiry ??= new OffsetExpiryTimer(this.options.settings.offsetsRetentionCheckIntervalMs,
      async () => void await this.expireOffsets(), this.options.log)
    this.expiry.start()
  }

  /** Stops background work; safe to call more than once. */
  close(): void {
    this.expiry?.stop()
  }

  committed(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(groupId, topic, partition)
  }

  /** Every committed offset of the group, by topic then partition. */
  committedOffsets(groupId: string): CommittedPartition[] {
    return this.offsets.ofGroup(groupId)
  }

  hasOffsets(groupId: string): boolean {
    return this.offsets.hasOffsets(groupId)
  }

  /** Writes the offsets as one batch; throws GroupLogWriteError (offsetCommitErrorOf maps it). */
  async commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void> {
    await this.writer.write(groupId, () => ({
      records: entries.map(entry => offsetCommitRecord(groupId, entry, entry.committed)),
      apply: () => {
        for (const {topic, partition, committed} of entries) {
          this.offsets.set(groupId, topic, partition, asStored(committed))
          this.pending.supersede(groupId, topic, partition)
        }
      },
    }))
  }

  /**
   * Writes offsets committed inside `producer`'s transaction, pending until its marker. `guard` runs
   * in the write's turn, just before the append, where no marker can come between it and the append:
   * the transaction's error code then (NONE to write). Resolves to the guard's answer; throws
   * GroupLogWriteError (offsetCommitErrorOf maps it).
   */
  async commitTransactional(groupId: string, producer: TransactionalProducer, entries: readonly OffsetCommitEntry[],
    guard: () => number): Promise<number> {
    let refusal = 0
    await this.writer.write(groupId, () => {
      refusal = guard()
      if (refusal !== 0) return null
      return {
        records: entries.map(entry => offsetCommitRecord(groupId, entry, entry.committed)),
        producer,
        apply: () => this.pending.add(producer.producerId, groupId,
          entries.map(({topic, partition, committed}) => ({topic, partition, committed: asStored(committed)}))),
      }
    })
    return refusal
  }

  /**
   * Appends a transaction marker to partition `index` of __consumer_offsets and commits (COMMIT) or
   * drops (ABORT) the offsets the producer's transaction left pending in the groups of that partition.
   */
  async writeTxnMarker(index: number, marker: ControlBatchOptions): Promise<void> {
    await this.writer.writeMarker(index, marker, () => {
      const taken = this.pending.take(marker.producerId, groupId => this.topic.existingPartitionIndexOf(groupId) === index)
      if (marker.type !== 'COMMIT') return
      for (const [groupId, offsets] of taken) {
        for (const {topic, partition, committed, superseded} of offsets) if (!superseded) this.offsets.set(groupId, topic, partition, committed)
      }
    })
  }

  /** Whether an open transaction holds a pending offset of the group (of this partition when one is named). */
  hasPendingOffsets(groupId: string, topic?: string, partition?: number): boolean {
    return this.pending.has(groupId, topic, partition)
  }

  /** The group's __consumer_offsets partition, the topic created when it does not exist yet. */
  partitionIndexOf(groupId: string): Promise<number> {
    return this.topic.partitionIndexOf(groupId)
  }

  /** Tombstones the group's offsets of these partitions (those it has). */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<void> {
    await this.writer.write(groupId, () => this.removal(groupId, partitions.filter(p => this.committed(groupId, p.topic, p.partition) !== undefined)))
  }

  /**
   * Tombstones every offset that has expired at `now` (offset-expiry.ts), and tells the membership
   * side of each group left without offsets and of each Empty group without any. Resolves to the
   * number of offsets expired.
   */
  async expireOffsets(now: number = this.now()): Promise<number> {
    let expired = 0
    for (const groupId of this.offsets.groupIds()) {
      let count = 0
      await this.writer.write(groupId, () => {
        const doomed = expiredOffsets(this.offsets.ofGroup(groupId), this.membership?.snapshot(groupId), now,
          this.options.settings.offsetsRetentionMs)
        count = doomed.length
        return this.removal(groupId, doomed)
      })
      if (count === 0) continue
      expired += count
      this.options.log(`expired ${count} committed offsets of group ${groupId}`)
      if (!this.hasOffsets(groupId)) await this.membership?.offsetsGone(groupId)
    }
    await this.removeEmptyGroupsWithoutOffsets()
    return expired
  }

  /**
   * Kafka's cleanup also removes Empty groups that never had (or no longer have) offsets: a consumer
   * that left before its first commit would otherwise stay listed, and replayed, forever.
   */
  private async removeEmptyGroupsWithoutOffsets(): Promise<void> {
    const membership = this.membership
    if (membership === undefined) return
    for (const groupId of membership.emptyGroupIds()) {
      if (!this.hasOffsets(groupId)) await membership.offsetsGone(groupId)
    }
  }

  async storeGroupMetadata(groupId: string, value: GroupMetadataValue): Promise<void> {
    await this.writer.write(groupId, () => ({records: [groupMetadataRecord(groupId, value)], apply: () => {}}))
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.writer.write(groupId, () => {
      const offsets = this.offsets.ofGroup(groupId)
      return {
        records: [groupMetadataTombstone(groupId), ...offsets.map(p => offsetTombstone(groupId, p))],
        apply: () => {
          this.offsets.deleteGroup(groupId)
          this.pending.deleteGroup(groupId)
        },
      }
    })
  }

  /** Tombstones for these offsets of the group, and their removal from memory. */
  private removal(groupId: string, partitions: readonly TopicPartitionRef[]): GroupLogPlan {
    return {
      records: partitions.map(p => offsetTombstone(groupId, p)),
      apply: () => {
        for (const {topic, partition} of partitions) this.offsets.delete(groupId, topic, partition)
      },
    }
  }
}
