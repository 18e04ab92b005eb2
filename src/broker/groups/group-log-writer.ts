/**
 * Writes a group's records to its __consumer_offsets partition: one uncompressed batch per change
 * (all the offsets of one commit together, as Kafka writes them), appended and then flushed, so a
 * change is durable before it is acknowledged.
 *
 * Writes run one at a time: each decides what to write (`plan`) and appends it with no other write
 * in between, and applies its change to the in-memory state in the same turn. So the state in
 * memory is always the replay of the log up to its end, and a decision taken from it (which offsets
 * expired, which are left to tombstone) cannot be overtaken by a commit appended meanwhile. The
 * flush runs outside the turn: flushes of concurrent writes share one sync.
 *
 * Transactional offsets (TxnOffsetCommit) go in a transactional batch of the producer, numbered on
 * from its last sequence in the partition (the log checks it as any producer's), and the
 * transaction's marker is appended here too when it ends: both in turn with the other writes.
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
        producer === undefined ? {compression: 'none'} : {compression: 'none', ...producer, transactional: true,
          baseSequence: nextSequence(partition, producer)})
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
    partition.append(batch)
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

const INT32_MAX = 0x7fffffff

/** The sequence the producer's next batch in `partition` starts at: 0 in a new epoch, else after its last. */
function nextSequence(partition: PartitionLog, {producerId, producerEpoch}: TransactionalProducer): number {
  const id = BigInt(producerId)
  const state = partition.activeProducers().find(p => p.producerId === id)
  if (state === undefined || state.producerEpoch !== producerEpoch || state.lastSequence < 0 || state.lastSequence === INT32_MAX) return 0
  return state.lastSequence + 1
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
