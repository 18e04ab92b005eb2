/**
 * Which committed offsets have expired (offsets.retention.minutes, KIP-211), and the timer that
 * looks every offsets.retention.check.interval.ms.
 *
 * An offset with an explicit expireTimestamp (OffsetCommit v2-4 RetentionTimeMs) expires then.
 * Otherwise, by the group's state (Kafka's ClassicGroup offset expiration condition):
 *   - a group with a protocol type that is Empty: retention after it became empty (its state
 *     timestamp; the commit time when that is unknown);
 *   - a Stable consumer group whose subscriptions are known: retention after the commit, only for
 *     topics it no longer subscribes to;
 *   - a group without protocol type (offsets committed by admin tools or assign() consumers, or a
 *     group the coordinator does not know): retention after the commit;
 *   - any other group (rebalancing, or with members of another protocol): nothing expires.
 */
import {CONSUMER_PROTOCOL_TYPE} from '../../protocol/index.js'
import type {CommittedPartition, TopicPartitionRef} from './committed-offsets.js'
import type {GroupSnapshot} from './group-membership.js'

/** Node runs a timer longer than this after 1 ms instead: longer intervals wait this long at a time. */
const MAX_TIMER_MS = 2 ** 31 - 1

export function expiredOffsets(committed: readonly CommittedPartition[], group: GroupSnapshot | undefined, now: number,
  retentionMs: number): TopicPartitionRef[] {
  const since = expiryBase(group)
  if (since === null) return []
  const subscribed = group?.state === 'Stable' ? group.subscribedTopics : null
  return committed
    .filter(({topic, committed}) => {
      if (subscribed?.has(topic) === true) return false
      if (committed.expireTimestamp >= 0) return now >= committed.expireTimestamp
      return now - (since === 'commit' ? committed.commitTimestamp : since) >= retentionMs
    })
    .map(({topic, partition}) => ({topic, partition}))
}

/** From when retention counts: the commit, a fixed time (an Empty group's), or null when nothing expires. */
function expiryBase(group: GroupSnapshot | undefined): 'commit' | number | null {
  if (group === undefined || group.protocolType === null) return 'commit'
  if (group.state === 'Empty') return group.stateTimestamp >= 0 ? group.stateTimestamp : 'commit'
  const consumer = group.protocolType === CONSUMER_PROTOCOL_TYPE && group.subscribedTopics !== null
  return consumer && group.state === 'Stable' ? 'commit' : null
}

/** Runs `check` every `intervalMs` on an unref'd timer, one run at a time, until stopped. */
export class OffsetExpiryTimer {
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(private readonly intervalMs: number, private readonly check: () => Promise<void>,
    private readonly log: (line: string) => void) {}

  start(): void {
    if (this.stopped || this.timer !== undefined) return
    this.schedule()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.check()
        .catch(error => this.log(`offset expiry failed: ${(error as Error).stack ?? String(error)}`))
        .finally(() => {
          if (!this.stopped) this.schedule()
        })
    }, Math.min(this.intervalMs, MAX_TIMER_MS))
    this.timer.unref()
  }
}
