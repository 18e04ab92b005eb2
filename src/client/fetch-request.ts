// The Fetch request for the partitions a consumer reads from one broker, and its response read back per
// partition. No fetch sessions (SessionId 0, epoch -1: every request names all its partitions). Under
// read_uncommitted the records of open and aborted transactions come back like any others; under
// read_committed (Fetch v4+, the client's oldest) the broker stops at the last stable offset and lists the aborted
// transactions overlapping what it returns, which the reader drops (aborted-transactions.ts).
import {ZERO_UUID, type AbortedTransaction, type FetchRequest, type FetchResponse} from '../protocol/index.js'

/** Kafka's isolation.level: whether a reader sees records of open and aborted transactions. */
export type IsolationLevel = 'read_uncommitted' | 'read_committed'

/** IsolationLevel as Fetch and ListOffsets carry it. */
export function isolationLevelId(level: IsolationLevel): 0 | 1 {
  return level === 'read_committed' ? 1 : 0
}

/** Fetch v13 names topics by id instead of by name. */
export const FIRST_TOPIC_ID_FETCH_VERSION = 13

export interface FetchTarget {
  topic: string
  /** ZERO_UUID when the broker did not report one. */
  topicId: string
  partition: number
  fetchOffset: number
  partitionMaxBytes: number
}

export interface FetchLimits {
  maxWaitMs: number
  minBytes: number
  maxBytes: number
  /** Default read_uncommitted. */
  isolationLevel?: IsolationLevel
}

export interface FetchedPartition {
  topic: string
  partition: number
  errorCode: number
  highWatermark: number
  /** -1 when the broker did not say (before v4). */
  lastStableOffset: number
  /** Under read_committed: the aborted transactions overlapping `records` (null or empty when none). */
  abortedTransactions: AbortedTransaction[] | null
  records: Buffer | null
}

/**
 * The highest usable Fetch version: the broker's negotiated one, kept below v13 unless every topic has
 * an id (brokers without topic ids, as the Java client does).
 */
export function fetchVersion(negotiated: number, targets: readonly FetchTarget[]): number {
  if (negotiated < FIRST_TOPIC_ID_FETCH_VERSION) return negotiated
  return targets.every((t) => t.topicId !== ZERO_UUID) ? negotiated : FIRST_TOPIC_ID_FETCH_VERSION - 1
}

export function buildFetchRequest(targets: readonly FetchTarget[], limits: FetchLimits): FetchRequest {
  const byTopic = new Map<string, FetchTarget[]>()
  for (const target of targets) {
    let group = byTopic.get(target.topic)
    if (!group) byTopic.set(target.topic, (group = []))
    group.push(target)
  }
  return {
    clusterId: null,
    replicaId: -1,
    replicaState: {replicaId: -1, replicaEpoch: -1},
    maxWaitMs: limits.maxWaitMs,
    minBytes: limits.minBytes,
    maxBytes: limits.maxBytes,
    isolationLevel: isolationLevelId(limits.isolationLevel ?? 'read_uncommitted'),
    sessionId: 0,
    sessionEpoch: -1,
    topics: [...byTopic.values()].map((group) => ({
      topic: group[0]!.topic,
      topicId: group[0]!.topicId,
      partitions: group.map((target) => ({
        partition: target.partition,
        currentLeaderEpoch: -1,
        fetchOffset: target.fetchOffset,
        lastFetchedEpoch: -1,
        logStartOffset: -1,
        partitionMaxBytes: target.partitionMaxBytes,
        replicaDirectoryId: ZERO_UUID,
      })),
    })),
    forgottenTopicsData: [],
    rackId: '',
  }
}

/** The response's partitions with topic names (mapped back from ids at v13+). */
export function fetchedPartitions(response: FetchResponse, version: number, targets: readonly FetchTarget[]): FetchedPartition[] {
  const namesById = new Map(targets.map((t) => [t.topicId, t.topic]))
  return response.responses.flatMap((topic) => {
    const name = version >= FIRST_TOPIC_ID_FETCH_VERSION ? namesById.get(topic.topicId) : topic.topic
    if (name === undefined) return []
    return topic.partitions.map((p) => ({
      topic: name,
      partition: p.partitionIndex,
      errorCode: p.errorCode,
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset ?? -1,
      abortedTransactions: p.abortedTransactions ?? null,
      records: p.records,
    }))
  })
}
