/**
 * For the offsets tests: a GroupMembership whose answers the test sets, put in place of the broker's
 * group coordinator (so the offsets side is tested on its own), and readers of the records in
 * __consumer_offsets.
 */
import {ErrorCode, decodeGroupMetadataValue, decodeGroupRecordKey, decodeOffsetCommitValue, inflateBatch,
  splitBatches, type GroupMetadataValue, type GroupRecordKey, type OffsetCommitValue} from '../../src/protocol/index.js'
import type {BrokerContext} from '../../src/broker/context.js'
import type {GroupMembership, GroupSnapshot} from '../../src/broker/groups/group-membership.js'
import type {LogManager} from '../../src/storage/index.js'
import type {BrokerHarness} from './broker-harness.js'

export interface CommitCheck {
  groupId: string
  memberId: string
  generationId: number
  groupInstanceId: string | null
}

export class FakeMembership implements GroupMembership {
  /** What offsetCommitError answers. */
  commitError: number = ErrorCode.NONE
  readonly checks: CommitCheck[] = []
  readonly groups = new Map<string, GroupSnapshot>()
  readonly gone: string[] = []

  offsetCommitError(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null): number {
    this.checks.push({groupId, memberId, generationId, groupInstanceId})
    return this.commitError
  }

  emptyGroupIds(): string[] {
    return [...this.groups].filter(([, group]) => group.state === 'Empty').map(([groupId]) => groupId)
  }

  snapshot(groupId: string): GroupSnapshot | undefined {
    return this.groups.get(groupId)
  }

  /** As the coordinator: an Empty group is removed. */
  async offsetsGone(groupId: string): Promise<void> {
    this.gone.push(groupId)
    if (this.groups.get(groupId)?.state === 'Empty') this.groups.delete(groupId)
  }
}

/** Answers the harness broker's membership questions with `fake` instead of its coordinator. */
export function useMembership(h: BrokerHarness, fake: FakeMembership): void {
  const ctx = (h.broker as unknown as {ctx: BrokerContext}).ctx
  Object.assign(ctx.groups, {
    offsetCommitError: fake.offsetCommitError.bind(fake),
    emptyGroupIds: fake.emptyGroupIds.bind(fake),
    snapshot: fake.snapshot.bind(fake),
    offsetsGone: fake.offsetsGone.bind(fake),
  })
}

export function snapshotOf(state: GroupSnapshot['state'], fields: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return {state, protocolType: 'consumer', stateTimestamp: 0, subscribedTopics: null, ...fields}
}

export type StoredRecord =
  | {offset: number; key: GroupRecordKey; value: null}
  | {offset: number; key: GroupRecordKey; value: OffsetCommitValue | GroupMetadataValue; valueVersion: number}

/** Every record of a __consumer_offsets partition, decoded. */
export async function storedRecords(logs: LogManager, partition: number): Promise<StoredRecord[]> {
  const log = logs.partition('__consumer_offsets', partition)
  if (log === undefined) return []
  const records: StoredRecord[] = []
  for (const batch of splitBatches(log.read(log.logStartOffset, 1 << 24))) {
    for (const record of (await inflateBatch(batch)).records) {
      const key = decodeGroupRecordKey(record.key!)
      if (record.value === null) {
        records.push({offset: record.offset, key, value: null})
      } else {
        const decoded = key.type === 'offset-commit' ? decodeOffsetCommitValue(record.value) : decodeGroupMetadataValue(record.value)
        records.push({offset: record.offset, key, value: decoded.value, valueVersion: decoded.version})
      }
    }
  }
  return records
}
