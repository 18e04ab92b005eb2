// A group consumer reading in the background for the group tests: it collects the values it is given
// and its events, reports what it read as processed unless told not to, and keeps the error that ended
// its reading.
import type {FetchedBatch, KafkaClient} from '../../src/client/index.js'
import type {GroupConsumer, GroupConsumerOptions, GroupEvent} from '../../src/client/group-consumer.js'

export interface GroupReader {
  consumer: GroupConsumer
  events: GroupEvent[]
  /** `partition:value` of each record read. */
  seen: string[]
  reading: Promise<void>
  failure(): Error | null
  /** The member id of its last generation ('' before one). */
  memberId(): string
}

/** Quick timings for the fake cluster: 30 ms heartbeats, 1.5 s sessions, no auto-commit within a test. */
export const QUICK_GROUP_OPTIONS = {
  groupId: 'g', topics: ['t'], offsetReset: 'earliest', maxWaitMs: 20, heartbeatIntervalMs: 30, sessionTimeoutMs: 1500,
  rebalanceTimeoutMs: 2000, autoCommitIntervalMs: 60_000,
} as const satisfies GroupConsumerOptions

export function groupReader(client: KafkaClient, options: Partial<GroupConsumerOptions>, processes = true): GroupReader {
  const events: GroupEvent[] = []
  const seen: string[] = []
  const consumer = client.groupConsumer({...QUICK_GROUP_OPTIONS, topics: [...QUICK_GROUP_OPTIONS.topics], onEvent: (event) => events.push(event), ...options})
  let failure: Error | null = null
  const reading = (async () => {
    try {
      for await (const batch of consumer.batches()) {
        for (const record of (batch as FetchedBatch).records) seen.push(`${batch.partition}:${record.value!.toString()}`)
        if (processes && batch.recordCount > 0) consumer.processedUpTo(batch.topic, batch.partition, consumer.position(batch.topic, batch.partition) ?? 0)
      }
    } catch (error) {
      failure = error as Error
    }
  })()
  const memberId = (): string => {
    const joined = events.filter((e) => e.kind === 'joined').at(-1) as Extract<GroupEvent, {kind: 'joined'}> | undefined
    return joined?.generation.memberId ?? ''
  }
  return {consumer, events, seen, reading, failure: () => failure, memberId}
}
