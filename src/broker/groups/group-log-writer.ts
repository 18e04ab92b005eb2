/**
 * Writes a group's records to its __consumer_offsets partition: one uncompressed batch per change
 * (all the offsets of one commit together, as Kafka writes them), appended and then flushed; a
 * change is acknowledged only once its flush succeeded.
 *
 * Writes run one at a time: each decides what to write (`plan`) and appends it with no other write
 * in between, and applies its change to the in-memory state in the same turn. So the state in
 * memory is always the replay of the log up to its end, and a decision taken from it (which offsets
 * expired, which are left to tombstone) cannot be overtaken by a commit appended meanwhile. The
 * flush runs outside the turn, after the memory changed: flushes of concurrent writes share one
 * sync, and until it is done other requests may already see a change that is not durable yet.
 * A failed flush answers the write with an error (NOT_COORDINATOR for commits), but the change stays
 * in memory and its bytes in the log, which the failure takes offline (no more writes to that
 * partition) until a restart replays whatever of it reached the disk: a change refused that way may
 * or may not survive the restart, as a request whose answer was lost.
 *
 * Transactional offsets (TxnOffsetCommit) go in a transactional batch of the producer, appended as
 * the coordinator's (origin 'coordinator': the log checks the producer's epoch but no sequence, as
 * Kafka's group coordinator writes them with sequence 0), and the transaction's marker is appended
 * here too when it ends: both in turn with the other writes.
 */
import {encodeControlBatch, encodeRecordBatch, ErrorCode, type ControlBatchOptions} from '../../protocol/index.js'
import {InvalidProducerEpochError, NameLocks, RecordBatchTooLargeError, StorageError, TransactionCoordinatorFencedError,
  type PartitionLog} from '../../storage/index.js'
import type {OffsetsTopic} from './offsets-topic.js'

/** One record: a __consumer_offsets key, and its value or null (a tombstone). */
export interface GroupLogRecord {
  readonly key: Buffer
  readonly value: Buffer | null
}

/** What one write appends, and the change to the in-memory state once it is appended. */
export interface GroupLogPlan {
  readonly records: readonly GroupLogRecord[]
  readonly apply: () => void
  /** Set for offsets committed in a transaction: the producer whose transactional batch holds them. */
  readonly producer?: TransactionalProducer
}

export interface TransactionalProducer {
  readonly producerId: number
  readonly producerEpoch: number
}

/** Why a write failed; offsetCommitErrorOf and groupMetadataErrorOf below map it to an error code. */
export type GroupLogFailure = 'unavailable' | 'storage' | 'too-large' | 'fenced'

export class GroupLogWriteError extends Error {
  constructor(message: string, readonly failure: GroupLogFailure) {
    super(message)
    this.name = 'GroupLogWriteError'
  }
}

/** The one lock name: every write to the topic takes turns. */
const WRITES = '__consumer_offsets'

export class GroupLogWriter {
  private readonly turns = new NameLocks()

  constructor(private readonly topic: OffsetsTopic, private readonly now: () => number) {}

  /**
   * Appends what `plan` returns for `groupId` (nothing when it returns null or no records) and
   * flushes it. `plan` runs in the write's turn, just before the append. Throws GroupLogWriteError.
   */
  async write(groupId: string, plan: () => GroupLogPlan | null): Promise<void> {
    const appendedTo = await this.turns.run(WRITES, async () => {
      const partition = await this.partitionOf(groupId)
      const planned = plan()
      if (planned === null || planned.records.length === 0) return null
      const timestamp = this.now()
      const producer = planned.producer
      const batch = await encodeRecordBatch(planned.records.map(({key, value}) => ({key, value, headers: [], timestamp})),
        producer === undefined ? {compression: 'none'} : {compression: 'none', ...producer, transactional: true, baseSequence: 0})
      append(partition, batch)
      planned.apply()
      return partition
    })
    if (appendedTo !== null) await flush(appendedTo)
  }

  /**
   * Appends a transaction marker to partition `index` (nothing when the topic has no such
   * partition), runs `apply` in the same turn, then flushes. Throws GroupLogWriteError.
   */
  async writeMarker(index: number, marker: ControlBatchOptions, apply: () => void): Promise<void> {
    const appendedTo = await this.turns.run(WRITES, async () => {
      const partition = this.topic.partitionAt(index)
      if (partition === undefined) return null
      append(partition, encodeControlBatch(marker))
      apply()
      return partition
    })
    if (appendedTo !== null) await flush(appendedTo)
  }

  private async partitionOf(groupId: string): Promise<PartitionLog> {
    try {
      return await this.topic.partitionOf(groupId)
    } catch (error) {
      throw new GroupLogWriteError(`the __consumer_offsets partition of group ${groupId} is not available: ${(error as Error).message}`,
        'unavailable')
    }
  }
}

function append(partition: PartitionLog, batch: Buffer): void {
  try {
    partition.append(batch, {origin: 'coordinator'})
  } catch (error) {
    const where = `${partition.topic}-${partition.partition}`
    if (error instanceof RecordBatchTooLargeError) throw new GroupLogWriteError(`${where}: ${error.message}`, 'too-large')
    if (error instanceof InvalidProducerEpochError || error instanceof TransactionCoordinatorFencedError) {
      throw new GroupLogWriteError(`${where}: ${error.message}`, 'fenced')
    }
    if (error instanceof StorageError) throw new GroupLogWriteError(`${where}: ${error.message}`, 'storage')
    throw error
  }
}

async function flush(partition: PartitionLog): Promise<void> {
  try {
    await partition.flush()
  } catch (error) {
    throw new GroupLogWriteError(`${partition.topic}-${partition.partition}: flush failed: ${(error as Error).message}`, 'storage')
  }
}

/**
 * The OffsetCommit error for a failed write, as Kafka maps its append errors: a partition that is
 * not there -> COORDINATOR_NOT_AVAILABLE, a storage failure -> NOT_COORDINATOR (the client looks
 * the coordinator up again), a batch too large -> INVALID_COMMIT_OFFSET_SIZE.
 */
export function offsetCommitErrorOf(error: unknown): number {
  if (!(error instanceof GroupLogWriteError)) return ErrorCode.UNKNOWN_SERVER_ERROR
  switch (error.failure) {
    case 'unavailable': return ErrorCode.COORDINATOR_NOT_AVAILABLE
    case 'storage': return ErrorCode.NOT_COORDINATOR
    case 'too-large': return ErrorCode.INVALID_COMMIT_OFFSET_SIZE
    case 'fenced': return ErrorCode.INVALID_PRODUCER_EPOCH
  }
}

/** The error for a failed group metadata write (SyncGroup, ...), as Kafka maps it: too large -> UNKNOWN_SERVER_ERROR. */
export function groupMetadataErrorOf(error: unknown): number {
  if (!(error instanceof GroupLogWriteError)) return ErrorCode.UNKNOWN_SERVER_ERROR
  switch (error.failure) {
    case 'unavailable': return ErrorCode.COORDINATOR_NOT_AVAILABLE
    case 'storage': return ErrorCode.NOT_COORDINATOR
    case 'too-large': return ErrorCode.UNKNOWN_SERVER_ERROR
    case 'fenced': return ErrorCode.UNKNOWN_SERVER_ERROR
  }
}
