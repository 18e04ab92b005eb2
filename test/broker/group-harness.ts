/**
 * For the group membership tests: a broker harness with quick group settings, request bodies as
 * clients send them, and a scheduler whose clock only moves when the test says so.
 */
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import type {GroupScheduler, GroupTimer} from '../../src/broker/groups/group-timers.js'
import {ApiKey, encodeSubscription, type JoinGroupResponse, type SyncGroupResponse} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

/** A broker whose groups form at once (no initial delay) and accept short sessions. */
export function openGroupBroker(configs: Record<string, string> = {}): Promise<BrokerHarness> {
  return BrokerHarness.open({settings: BrokerSettings.from({
    'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '10', ...configs})})
}

export interface JoinFields {
  groupId?: string
  memberId?: string
  groupInstanceId?: string | null
  sessionTimeoutMs?: number
  rebalanceTimeoutMs?: number
  protocolType?: string
  protocols?: {name: string; metadata: Buffer}[]
}

/** A consumer's subscription to `topics`, offered for each of `assignors`. */
export function consumerProtocols(topics: string[], assignors = ['range']): {name: string; metadata: Buffer}[] {
  return assignors.map(name => ({name, metadata: encodeSubscription({topics})}))
}

export function joinBody(fields: JoinFields = {}): object {
  return {groupId: 'g', memberId: '', groupInstanceId: null, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000,
    protocolType: 'consumer', protocols: consumerProtocols(['events']), reason: null, ...fields}
}

export function join(h: BrokerHarness, fields: JoinFields = {}, version = 5): Promise<JoinGroupResponse> {
  return h.call(ApiKey.JoinGroup, version, joinBody(fields))
}

/** Joins as a new member: the MEMBER_ID_REQUIRED round, then the join that waits for the generation. */
export async function joinNew(h: BrokerHarness, fields: JoinFields = {}, version = 5): Promise<JoinGroupResponse> {
  const first = await join(h, fields, version)
  if (first.errorCode !== 79) return first
  return join(h, {...fields, memberId: first.memberId}, version)
}

export interface SyncFields {
  groupId?: string
  generationId: number
  memberId: string
  groupInstanceId?: string | null
  protocolType?: string | null
  protocolName?: string | null
  assignments?: {memberId: string; assignment: Buffer}[]
}

export function sync(h: BrokerHarness, fields: SyncFields, version = 3): Promise<SyncGroupResponse> {
  return h.call(ApiKey.SyncGroup, version, {groupId: 'g', groupInstanceId: null, protocolType: null, protocolName: null,
    assignments: [], ...fields})
}

export async function heartbeat(h: BrokerHarness, memberId: string, generationId: number,
  fields: {groupId?: string; groupInstanceId?: string | null} = {}, version = 3): Promise<number> {
  return (await h.call(ApiKey.Heartbeat, version, {groupId: 'g', memberId, generationId, groupInstanceId: null, ...fields})).errorCode
}

export async function describeGroup(h: BrokerHarness, groupId = 'g', version = 5) {
  return (await h.call(ApiKey.DescribeGroups, version, {groups: [groupId], includeAuthorizedOperations: false})).groups[0]
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

/** True once `promise` has settled (checked after pending callbacks ran). */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => { done = true }, () => { done = true })
  await new Promise(resolve => setImmediate(resolve))
  return done
}

/** Timers run by advance(), in due order; the clock starts at `start`. */
export class ManualScheduler implements GroupScheduler {
  private timers: {due: number; seq: number; fn: () => void; cancelled: boolean}[] = []
  private seq = 0

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time
  }

  schedule(delayMs: number, fn: () => void): GroupTimer {
    const timer = {due: this.time + Math.max(delayMs, 0), seq: this.seq++, fn, cancelled: false}
    this.timers.push(timer)
    return {cancel: () => { timer.cancelled = true }}
  }

  /** Moves the clock by `ms`, running each timer that falls due (and those they schedule) at its time. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      this.timers = this.timers.filter(t => !t.cancelled)
      const next = this.timers.filter(t => t.due <= end).sort((a, b) => a.due - b.due || a.seq - b.seq)[0]
      if (next === undefined) break
      this.time = next.due
      next.cancelled = true
      next.fn()
    }
    this.time = end
  }

  /** Timers still to run. */
  get pending(): number {
    return this.timers.filter(t => !t.cancelled).length
  }
}
