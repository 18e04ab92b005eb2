/**
 * Start-up replay of __consumer_offsets: every partition read from its log start to its end,
 * batches decompressed, control batches skipped; for each key the last record wins and a tombstone
 * deletes the entry. Offsets go into the CommittedOffsets given; the groups' last metadata is
 * returned. Records of the KIP-848 and share-group protocols (key version 3+) are skipped, and so
 * is a record that does not decode, with a log line: one bad record must not keep the broker from
 * starting, nor lose the records after it. A damaged batch is stepped over the same way.
 *
 * Offsets in a transactional batch (TxnOffsetCommit) are pending under the batch's producer id
 * until that producer's marker: a COMMIT makes them committed (those a later plain commit of the
 * same partition overrode excepted), an ABORT drops them, as Kafka's loadGroupsAndOffsets does.
 * What is still pending at the end belongs to a transaction that is still open.
 */
import {controlBatchType, decodeGroupMetadataValue, decodeGroupRecordKey, decodeOffsetCommitValue, inflateLayout, readBatchHeader,
  splitBatches, type BatchHeader, type GroupMetadataValue, type RecordLayout} from '../../protocol/index.js'
import {CorruptLogError, type PartitionLog} from '../../storage/index.js'
import type {CommittedOffsets} from './committed-offsets.js'
import type {PendingTxnOffsets} from './pending-txn-offsets.js'

/** How much one read takes (at least one batch, whatever its size). */
const READ_BYTES = 1024 * 1024

export interface GroupLogReplay {
  readonly offsets: CommittedOffsets
  /** The last GroupMetadataValue of each group, tombstoned groups removed. */
  readonly groups: Map<string, GroupMetadataValue>
  /** The offsets of open transactions in this partition. */
  readonly pending: PendingTxnOffsets
  readonly log: (line: string) => void
}

/** Replays one partition into `into`; resolves to the number of records read. */
export async function replayPartition(partition: PartitionLog, into: GroupLogReplay): Promise<number> {
  let offset = partition.logStartOffset
  let records = 0
  while (offset < partition.logEndOffset) {
    let bytes: Buffer
    try {
      bytes = partition.read(offset, READ_BYTES)
    } catch (error) {
      if (!(error instanceof CorruptLogError)) throw error
      into.log(`replay of ${where(partition)} skips offset ${offset}: ${error.message}`)
      offset++
      continue
    }
    const batches = splitBatches(bytes)
    if (batches.length === 0) break
    for (const batch of batches) {
      const header = readBatchHeader(batch)
      const next = header.baseOffset + header.lastOffsetDelta + 1
      if (header.isControl && next > offset) replayMarker(batch, header, partition, into)
      else if (next > offset) records += replayBatch(await inflateLayout(batch), header, offset, partition, into)
      offset = Math.max(offset, next)
    }
  }
  return records
}

/** A transaction marker: the producer's pending offsets in this partition are committed or dropped. */
function replayMarker(batch: Buffer, header: BatchHeader, partition: PartitionLog, into: GroupLogReplay): void {
  let type
  try {
    type = controlBatchType(batch)
  } catch (error) {
    into.log(`replay of ${where(partition)} skips the control batch at offset ${header.baseOffset}: ${(error as Error).message}`)
    return
  }
  const taken = into.pending.take(header.producerId, () => true)
  if (type !== 'COMMIT') return
  for (const [group, offsets] of taken) {
    for (const {topic, partition: index, committed, superseded} of offsets) if (!superseded) into.offsets.set(group, topic, index, committed)
  }
}

function replayBatch(layout: RecordLayout, header: BatchHeader, from: number, partition: PartitionLog, into: GroupLogReplay): number {
  const producerId = header.isTransactional ? header.producerId : null
  let records = 0
  for (let i = 0; i < layout.count; i++) {
    const offset = layout.offset(i)
    if (offset < from) continue
    records++
    try {
      replayRecord(layout.key(i), layout.value(i), producerId, into)
    } catch (error) {
      into.log(`replay of ${where(partition)} skips the record at offset ${offset}: ${(error as Error).message}`)
    }
  }
  return records
}

/** One record; `producerId` is set when it is in a transactional batch. */
function replayRecord(keyBytes: Buffer | null, value: Buffer | null, producerId: number | null, into: GroupLogReplay): void {
  if (keyBytes === null) throw new Error('the record has no key')
  const key = decodeGroupRecordKey(keyBytes)
  if (key.type === 'offset-commit') {
    const {group, topic, partition} = key.key
    if (value === null) {
      into.offsets.delete(group, topic, partition)
      return
    }
    const {offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp} = decodeOffsetCommitValue(value).value
    const committed = {offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp}
    if (producerId !== null) {
      into.pending.add(producerId, group, [{topic, partition, committed}])
    } else {
      into.offsets.set(group, topic, partition, committed)
      into.pending.supersede(group, topic, partition)
    }
  } else if (key.type === 'group-metadata') {
    if (value === null) into.groups.delete(key.key.group)
    else into.groups.set(key.key.group, decodeGroupMetadataValue(value).value)
  }
}

function where(partition: PartitionLog): string {
  return `${partition.topic}-${partition.partition}`
}
