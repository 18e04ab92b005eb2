/**
 * OffsetCommit (key 8), versions 0-9 (kafka-python 2.0.2 sends 2, kafkajs 5, librdkafka up to 9,
 * Java 8-9).
 *
 * Behaviour, as Kafka checks in this order: a partition of an unknown topic or partition -> 3; an
 * empty GroupId -> 24 for every other partition; then the membership check (the group coordinator:
 * generation and member, see GroupMembership.offsetCommitError) -> its error for every other
 * partition; then per partition Metadata longer than offset.metadata.max.bytes -> 12. The rest is
 * written to __consumer_offsets as one batch and flushed before the answer; a failed write answers
 * as Kafka maps it (group-log-writer.ts: 15, 16 or 28). Null metadata is stored as "".
 *
 * Version notes: v0 has no generation or member (checked as -1 and ""); v1 CommitTimestamp per
 * partition (-1 = now); v2-4 RetentionTimeMs (-1 = offsets.retention.minutes, else an expiry that
 * far from now, stored in an OffsetCommitValue v1); v3 ThrottleTimeMs; v6 CommittedLeaderEpoch;
 * v7 GroupInstanceId; v8 flexible; v9 same fields (KIP-848 consumers, not served here).
 */
import {ApiKey, ErrorCode, type OffsetCommitRequest, type OffsetCommitRequestPartition,
  type OffsetCommitResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {offsetCommitErrorOf} from '../groups/group-log-writer.js'
import type {OffsetCommitEntry} from '../groups/offset-store.js'
import {registerHandler} from '../registry.js'

/** CommitTimestamp and RetentionTimeMs: not given. */
const UNSET = -1

export const offsetCommitHandler = registerHandler({
  apiKey: ApiKey.OffsetCommit,
  name: 'OffsetCommit',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: OffsetCommitRequest, version: number, ctx: BrokerContext): Promise<OffsetCommitResponse> {
    const errors = new Map<OffsetCommitRequestPartition, number>()
    const known = request.topics.flatMap(topic => topic.partitions.filter(p => {
      const exists = ctx.logs.partition(topic.name, p.partitionIndex) !== undefined
      if (!exists) errors.set(p, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      return exists
    }).map(p => ({topic: topic.name, request: p})))
    const groupError = known.length === 0 ? ErrorCode.NONE : groupErrorOf(request, version, ctx)
    for (const {request: p} of known) {
      if (groupError !== ErrorCode.NONE) errors.set(p, groupError)
      else if ((p.committedMetadata ?? '').length > ctx.settings.groups.offsetMetadataMaxBytes) errors.set(p, ErrorCode.OFFSET_METADATA_TOO_LARGE)
    }
    const now = ctx.offsets.now()
    const entries: OffsetCommitEntry[] = known.filter(({request: p}) => !errors.has(p))
      .map(({topic, request: p}) => ({topic, partition: p.partitionIndex, committed: {
        offset: p.committedOffset,
        leaderEpoch: p.committedLeaderEpoch < 0 ? -1 : p.committedLeaderEpoch,
        metadata: p.committedMetadata ?? '',
        commitTimestamp: p.commitTimestamp === UNSET ? now : p.commitTimestamp,
        expireTimestamp: request.retentionTimeMs === UNSET ? -1 : now + request.retentionTimeMs,
      }}))
    if (entries.length > 0) {
      const writeError = await write(request.groupId, entries, ctx)
      if (writeError !== ErrorCode.NONE) for (const {request: p} of known) if (!errors.has(p)) errors.set(p, writeError)
    }
    return {throttleTimeMs: 0, topics: request.topics.map(topic => ({name: topic.name,
      partitions: topic.partitions.map(p => ({partitionIndex: p.partitionIndex, errorCode: errors.get(p) ?? ErrorCode.NONE}))}))}
  },
})

function groupErrorOf(request: OffsetCommitRequest, version: number, ctx: BrokerContext): number {
  if (request.groupId === '') return ErrorCode.INVALID_GROUP_ID
  // v0 names no generation or member: an admin-style commit
  const generation = version === 0 ? -1 : request.generationIdOrMemberEpoch
  const memberId = version === 0 ? '' : request.memberId
  return ctx.groups.offsetCommitError(request.groupId, memberId, generation, request.groupInstanceId)
}

async function write(groupId: string, entries: OffsetCommitEntry[], ctx: BrokerContext): Promise<number> {
  try {
    await ctx.offsets.commit(groupId, entries)
    return ErrorCode.NONE
  } catch (error) {
    ctx.log(`committing ${entries.length} offsets of group ${groupId} failed: ${(error as Error).stack ?? String(error)}`)
    return offsetCommitErrorOf(error)
  }
}
