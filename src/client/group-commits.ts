// A group member's commit bookkeeping: the partitions it owns, the next offset to commit for each (its
// committable position) and what the group last recorded for it. A newly owned partition's committable
// position is seeded with where reading starts, the reset policy's answer included, as Java's consumer
// commits every assigned partition's position: a member that reads nothing still records where it
// started, so records produced before the group's next member starts are read rather than skipped.
// Commits run one after another, stamped with the member's current generation.
import {ErrorCode} from '../protocol/index.js'
import {groupByTopic, type TopicPartitions} from './assignors/index.js'
import {partitionKey as key} from './cluster.js'
import {KafkaProtocolError} from './errors.js'
import type {GroupMember} from './group-member.js'
import type {OffsetCommitter} from './offset-committer.js'

export interface OwnedPartition {
  topic: string
  partition: number
}

export class GroupCommits {
  private readonly owned = new Map<string, OwnedPartition>()
  /** Next offset to commit per owned partition: where reading started, then what the caller processed. */
  private readonly committable = new Map<string, number>()
  /** What the group holds per owned partition, as far as this member knows. */
  private readonly committed = new Map<string, number>()
  private chain: Promise<void> = Promise.resolve()

  constructor(private readonly committer: OffsetCommitter, private readonly member: GroupMember) {}

  get size(): number {
    return this.owned.size
  }

  /** Keys (partitionKey) of the owned partitions. */
  ids(): string[] {
    return [...this.owned.keys()]
  }

  owns(topic: string, partition: number): boolean {
    return this.owned.has(key(topic, partition))
  }

  assignment(): TopicPartitions[] {
    return groupByTopic(this.owned.values())
  }

  /** The group's committed offsets of partitions about to be owned; those without one are left out. */
  committedOffsets(partitions: readonly OwnedPartition[]): Promise<Map<string, number>> {
    return this.committer.committed(groupByTopic(partitions))
  }

  /** Owns a partition read from `start`; `committed` is the group's offset for it (undefined: none). */
  own(tp: OwnedPartition, start: number, committed: number | undefined): void {
    const id = key(tp.topic, tp.partition)
    this.owned.set(id, {topic: tp.topic, partition: tp.partition})
    this.committable.set(id, start)
    if (committed !== undefined) this.committed.set(id, committed)
  }

  /** The caller processed an owned partition up to `nextOffset` (exclusive); others are ignored. */
  processedUpTo(topic: string, partition: number, nextOffset: number): void {
    const id = key(topic, partition)
    if (!this.owned.has(id)) return
    this.committable.set(id, Math.max(this.committable.get(id) ?? 0, nextOffset))
  }

  /** Stops tracking partitions (given up or lost); returns them. */
  release(ids: readonly string[]): OwnedPartition[] {
    const released: OwnedPartition[] = []
    for (const id of ids) {
      const tp = this.owned.get(id)
      if (!tp) continue
      released.push(tp)
      this.owned.delete(id)
      this.committable.delete(id)
      this.committed.delete(id)
    }
    return released
  }

  /** Commits, after any commit under way, what is committable and not yet committed of `ids` (default: all owned). */
  commit(ids: readonly string[] = this.ids()): Promise<void> {
    const run = this.chain.then(() => this.commitNow(ids))
    this.chain = run.catch(() => undefined)
    return run
  }

  private async commitNow(ids: readonly string[]): Promise<void> {
    const offsets = ids
      .filter((id) => this.owned.has(id) && this.committable.has(id) && this.committable.get(id) !== this.committed.get(id))
      .map((id) => ({...this.owned.get(id)!, offset: this.committable.get(id)!}))
    if (offsets.length === 0 || this.member.generationId < 0) return
    const identity = {generationId: this.member.generationId, memberId: this.member.memberId, groupInstanceId: this.member.options.groupInstanceId}
    const outcomes = await this.committer.commit(offsets, identity)
    for (const outcome of outcomes) {
      const id = key(outcome.topic, outcome.partition)
      if (outcome.errorCode === ErrorCode.NONE && this.owned.has(id)) this.committed.set(id, outcome.offset)
    }
    const failed = outcomes.find((o) => o.errorCode !== ErrorCode.NONE)
    if (failed) throw new KafkaProtocolError(failed.errorCode, `commit of ${failed.topic}/${failed.partition} for group ${this.member.groupId}`)
  }
}
