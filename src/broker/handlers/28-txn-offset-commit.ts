/**
 * TxnOffsetCommit (key 28), versions 0-4 (librdkafka sends up to 3, kafkajs 0, Java 3).
 *
 * Offsets committed inside a transaction: written to the group's __consumer_offsets partition as a
 * transactional batch of the producer, pending until the transaction ends (its COMMIT marker makes
 * them the group's committed offsets, ABORT drops them; groups/pending-txn-offsets.ts).
 *
 * Checks, in order: an empty GroupId -> INVALID_GROUP_ID for every partition; a partition that does
 * not exist -> UNKNOWN_TOPIC_OR_PARTITION (the others go on); the group (v3+ with a member or
 * generation: as OffsetCommit checks them, a rebalance in progress excepted, as in Kafka; without
 * them any group takes the commit, an unknown one is created Empty); the transaction: the
 * producer's current id and epoch (INVALID_PRODUCER_ID_MAPPING, INVALID_PRODUCER_EPOCH), an open
 * transaction the group's partition was added to by AddOffsetsToTxn (else INVALID_TXN_STATE); then
 * per partition metadata above offset.metadata.max.bytes -> OFFSET_METADATA_TOO_LARGE. A failed
 * write answers as OffsetCommit's does. The transaction is checked again in the offset write's
 * turn, just before the append (markers to __consumer_offsets take the same turns): offsets are
 * never written after their transaction's marker, where nothing would ever end them.
 *
 * Version notes: v2 CommittedLeaderEpoch; v3 flexible, GenerationId, MemberId, GroupInstanceId; v4
 * TRANSACTION_ABORTABLE, never sent here.
 */
import {ApiKey, ErrorCode, type TxnOffsetCommitRequest, type TxnOffsetCommitRequestPartition,
  type TxnOffsetCommitResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {offsetCommitErrorOf} from '../groups/group-log-writer.js'
import type {OffsetCommitEntry} from '../groups/offset-store.js'
import {registerHandler} from '../registry.js'

export const txnOffsetCommitHandler = registerHandler({
  apiKey: ApiKey.TxnOffsetCommit,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: TxnOffsetCommitRequest, _version: number, ctx: BrokerContext): Promise<TxnOffsetCommitResponse> {
    const errors = new Map<TxnOffsetCommitRequestPartition, number>()
    const known = request.topics.flatMap(topic => topic.partitions.filter(p => {
      const exists = ctx.logs.partition(topic.name, p.partitionIndex) !== undefined
      if (!exists) errors.set(p, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      return exists
    }).map(p => ({topic: topic.name, request: p})))
    const checked = request.groupId === '' ? {error: ErrorCode.INVALID_GROUP_ID, offsetsPartition: -1}
      : known.length === 0 ? {error: ErrorCode.NONE, offsetsPartition: -1} : await groupAndTransactionError(request, ctx)
    const commonError = checked.error
    for (const {request: p} of known) {
      if (commonError !== ErrorCode.NONE) errors.set(p, commonError)
      else if ((p.committedMetadata ?? '').length > ctx.settings.groups.offsetMetadataMaxBytes) errors.set(p, ErrorCode.OFFSET_METADATA_TOO_LARGE)
    }
    const now = ctx.offsets.now()
    const entries: OffsetCommitEntry[] = known.filter(({request: p}) => !errors.has(p)).map(({topic, request: p}) => ({topic,
      partition: p.partitionIndex, committed: {offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch < 0 ? -1 : p.committedLeaderEpoch,
        metadata: p.committedMetadata ?? '', commitTimestamp: now, expireTimestamp: -1}}))
    if (entries.length > 0) {
      const writeError = await write(request, entries, ctx, () => transactionError(request, ctx, checked.offsetsPartition))
      if (writeError !== ErrorCode.NONE) for (const {request: p} of known) if (!errors.has(p)) errors.set(p, writeError)
    }
    return {throttleTimeMs: 0, topics: request.topics.map(topic => ({name: topic.name,
      partitions: topic.partitions.map(p => ({partitionIndex: p.partitionIndex, errorCode: errors.get(p) ?? ErrorCode.NONE}))}))}
  },
})

/** The group's and the transaction's error, and the group's __consumer_offsets partition. */
async function groupAndTransactionError(request: TxnOffsetCommitRequest, ctx: BrokerContext): Promise<{error: number; offsetsPartition: number}> {
  const groupError = membershipError(request, ctx)
  if (groupError !== ErrorCode.NONE) return {error: groupError, offsetsPartition: -1}
  let offsetsPartition: number
  try {
    offsetsPartition = await ctx.offsets.partitionIndexOf(request.groupId)
  } catch {
    return {error: ErrorCode.COORDINATOR_NOT_AVAILABLE, offsetsPartition: -1}
  }
  return {error: transactionError(request, ctx, offsetsPartition), offsetsPartition}
}

/** Whether the producer's open transaction has the group's partition, at its current epoch. */
function transactionError(request: TxnOffsetCommitRequest, ctx: BrokerContext, offsetsPartition: number): number {
  const error = ctx.transactions.txnOffsetCommitError(request.transactionalId, request.producerId, request.producerEpoch, offsetsPartition)
  // TxnOffsetCommit has no PRODUCER_FENCED: a fenced producer is told its epoch is stale.
  return error === ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH : error
}

/** Kafka's doTxnCommitOffsets: a named member must be current; without one, any group (an unknown one is created). */
function membershipError(request: TxnOffsetCommitRequest, ctx: BrokerContext): number {
  const anonymous = request.generationId < 0 && request.memberId === '' && request.groupInstanceId === null
  if (anonymous) {
    return ctx.groups.snapshot(request.groupId) === undefined ? ctx.groups.offsetCommitError(request.groupId, '', -1, null) : ErrorCode.NONE
  }
  const error = ctx.groups.offsetCommitError(request.groupId, request.memberId, request.generationId, request.groupInstanceId)
  return error === ErrorCode.REBALANCE_IN_PROGRESS ? ErrorCode.NONE : error
}

/** Writes the offsets if `guard`, run in the write's turn, still answers NONE; the error code otherwise. */
async function write(request: TxnOffsetCommitRequest, entries: OffsetCommitEntry[], ctx: BrokerContext, guard: () => number): Promise<number> {
  try {
    return await ctx.offsets.commitTransactional(request.groupId, {producerId: request.producerId, producerEpoch: request.producerEpoch}, entries, guard)
  } catch (error) {
    ctx.log(`committing ${entries.length} offsets of group ${request.groupId} in transaction ${request.transactionalId} failed: ${(error as Error).message}`)
    return offsetCommitErrorOf(error)
  }
}
