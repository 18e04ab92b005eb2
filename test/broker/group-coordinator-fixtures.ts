/**
 * For the coordinator's state-machine tests: a GroupCoordinator on a hand-run clock over a store
 * that keeps what it is given (and fails or waits when told), with requests built field by field.
 */
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {GroupCoordinator} from '../../src/broker/groups/group-coordinator.js'
import {GroupLogWriteError} from '../../src/broker/groups/group-log-writer.js'
import type {JoinResult, SyncResult} from '../../src/broker/groups/group-member.js'
import type {GroupStore} from '../../src/broker/groups/group-store.js'
import type {JoinRequest} from '../../src/broker/groups/join-request.js'
import type {SyncRequest} from '../../src/broker/groups/sync-group.js'
import type {GroupMetadataValue} from '../../src/protocol/index.js'
import {consumerProtocols, ManualScheduler} from './group-harness.js'

export class MemoryGroupStore implements GroupStore {
  readonly stored: {groupId: string; value: GroupMetadataValue}[] = []
  readonly deleted: string[] = []
  readonly withOffsets = new Set<string>()
  /** The next write fails with this. */
  failNext: GroupLogWriteError | null = null
  private gate: Promise<void> | null = null

  /** The next metadata write waits until the returned function is called. */
  holdNext(): () => void {
    let release = (): void => {}
    this.gate = new Promise(resolve => { release = resolve })
    return release
  }

  async storeGroupMetadata(groupId: string, value: GroupMetadataValue): Promise<void> {
    const gate = this.gate
    this.gate = null
    if (gate !== null) await gate
    this.takeFailure()
    this.stored.push({groupId, value})
  }

  async deleteGroup(groupId: string): Promise<void> {
    this.takeFailure()
    this.deleted.push(groupId)
    this.withOffsets.delete(groupId)
  }

  hasOffsets(groupId: string): boolean {
    return this.withOffsets.has(groupId)
  }

  last(groupId = 'g'): GroupMetadataValue | undefined {
    return this.stored.filter(s => s.groupId === groupId).at(-1)?.value
  }

  private takeFailure(): void {
    const failure = this.failNext
    this.failNext = null
    if (failure !== null) throw failure
  }
}

export function unavailable(): GroupLogWriteError {
  return new GroupLogWriteError('the log is not available', 'unavailable')
}

export interface CoordinatorFixture {
  coordinator: GroupCoordinator
  clock: ManualScheduler
  store: MemoryGroupStore
  lines: string[]
}

export function coordinatorFixture(configs: Record<string, string> = {}): CoordinatorFixture {
  const clock = new ManualScheduler()
  const store = new MemoryGroupStore()
  const lines: string[] = []
  const settings = BrokerSettings.from({'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '10', ...configs}).groups
  const coordinator = new GroupCoordinator({store, settings, log: line => lines.push(line), scheduler: clock})
  return {coordinator, clock, store, lines}
}

export function joinRequest(fields: Partial<JoinRequest> = {}): JoinRequest {
  return {groupId: 'g', memberId: '', groupInstanceId: null, clientId: 'client', clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 10_000, sessionTimeoutMs: 30_000, protocolType: 'consumer', protocols: consumerProtocols(['events']),
    requireKnownMemberId: false, supportSkippingAssignment: false, reason: null, ...fields}
}

export function syncRequest(fields: Partial<SyncRequest> & {memberId: string; generationId: number}): SyncRequest {
  return {groupId: 'g', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [], ...fields}
}

/** Lets settled promises run their callbacks. */
export function flush(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

/** A promise's value once it has settled, or 'pending'. */
export async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  let result: T | 'pending' = 'pending'
  void promise.then(value => { result = value })
  await flush()
  return result
}

/**
 * A Stable group 'g' of dynamic members (or static ones, named in `instances`), each joined at once
 * (no initial delay); returns their member ids, the first the leader.
 */
export async function stableGroup(f: CoordinatorFixture, count: number, fields: Partial<JoinRequest> = {},
  instances: (string | null)[] = []): Promise<string[]> {
  const joins: Promise<JoinResult>[] = []
  for (let i = 0; i < count; i++) joins.push(f.coordinator.joinGroup(joinRequest({...fields, groupInstanceId: instances[i] ?? null})))
  f.clock.advance(0)
  const joined = await Promise.all(joins)
  const leader = joined.find(j => j.members.length > 0)!
  const syncs: Promise<SyncResult>[] = joined.map(j => f.coordinator.syncGroup(syncRequest({memberId: j.memberId, generationId: j.generationId,
    assignments: j === leader ? joined.map(m => ({memberId: m.memberId, assignment: Buffer.from(m.memberId)})) : []})))
  await Promise.all(syncs)
  return [leader.memberId, ...joined.filter(j => j !== leader).map(j => j.memberId)]
}
