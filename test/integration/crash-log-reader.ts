/**
 * Reads one partition back from a running daemon as a careful consumer would, over the Kafka
 * protocol on the daemon's socket: Fetch from the log start offset to the high watermark, every
 * batch's CRC-32C checked before it is decoded. A batch that fails its check, a Fetch error
 * (CORRUPT_MESSAGE, ...) or a read that makes no progress ends the read and is reported: the callers
 * decide whether the error was expected (it is, at injected damage; a corrupt batch never is).
 *
 * It also answers single lookups, the way a consumer seeks: the first batch a Fetch at an offset
 * returns, and ListOffsets by timestamp.
 */
import {Connection} from '../../src/client/connection.js'
import {buildFetchRequest, fetchedPartitions, type FetchTarget} from '../../src/client/fetch-request.js'
import {ApiKey, ZERO_UUID, batchCrcIsValid, errorInfo, inflateBatch, readBatchHeader, splitBatches} from '../../src/protocol/index.js'

export interface LoggedRecord {
  offset: number
  value: string
  timestamp: number
}

export interface LoggedBatch {
  baseOffset: number
  lastOffset: number
  maxTimestamp: number
}

export interface PartitionRead {
  logStartOffset: number
  highWatermark: number
  records: LoggedRecord[]
  batches: LoggedBatch[]
  /** base offsets of served batches whose CRC or length did not check out */
  corruptBatches: number[]
  /** why the read stopped before the high watermark, if it did */
  stoppedAt?: {offset: number; reason: string}
}

const FETCH_VERSION = 11
const LIST_OFFSETS_VERSION = 7
const READ_MAX_BYTES = 1 << 20
export const EARLIEST = -2
export const LATEST = -1
export const MAX_TIMESTAMP = -3

export class LogReader {
  private constructor(private readonly connection: Connection, private readonly topic: string) {}

  static async open(socket: string, topic: string): Promise<LogReader> {
    const connection = await Connection.open({address: {kind: 'unix', path: socket}, clientId: 'crash-check', requestTimeoutMs: 30_000})
    return new LogReader(connection, topic)
  }

  close(): void {
    this.connection.close()
  }

  /** ListOffsets for partition 0: an offset and the timestamp of its record (-1 for none). */
  async listOffset(timestamp: number): Promise<{errorCode: number; offset: number; timestamp: number}> {
    const response = await this.connection.request(ApiKey.ListOffsets, LIST_OFFSETS_VERSION, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{name: this.topic, partitions: [{partitionIndex: 0, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1}]}],
      timeoutMs: 30_000,
    })
    const answer = response.topics[0]!.partitions[0]!
    return {errorCode: answer.errorCode, offset: answer.offset, timestamp: answer.timestamp}
  }

  /** One Fetch at `offset`: its error code, and the batches it served (whole ones only). */
  async fetchAt(offset: number, maxBytes = READ_MAX_BYTES): Promise<{errorCode: number; highWatermark: number; batches: Buffer[]}> {
    const target: FetchTarget = {topic: this.topic, topicId: ZERO_UUID, partition: 0, fetchOffset: offset, partitionMaxBytes: maxBytes}
    const request = buildFetchRequest([target], {maxWaitMs: 0, minBytes: 0, maxBytes})
    const response = await this.connection.request(ApiKey.Fetch, FETCH_VERSION, request)
    const [partition] = fetchedPartitions(response, FETCH_VERSION, [target])
    if (!partition) throw new Error(`Fetch at ${offset} answered without partition 0`)
    return {errorCode: partition.errorCode, highWatermark: partition.highWatermark, batches: splitBatches(partition.records ?? Buffer.alloc(0))}
  }

  /** The whole partition, from its log start offset to its high watermark. */
  async readAll(): Promise<PartitionRead> {
    const start = await this.listOffset(EARLIEST)
    const end = await this.listOffset(LATEST)
    const read: PartitionRead = {logStartOffset: start.offset, highWatermark: end.offset, records: [], batches: [], corruptBatches: []}
    let offset = start.offset
    while (offset < read.highWatermark) {
      const fetched = await this.fetchAt(offset)
      if (fetched.errorCode !== 0) {
        read.stoppedAt = {offset, reason: errorInfo(fetched.errorCode)?.name ?? `error ${fetched.errorCode}`}
        break
      }
      const next = await this.takeBatches(fetched.batches, offset, read)
      if (next === offset) {
        read.stoppedAt ??= {offset, reason: 'Fetch served no batch below the high watermark'}
        break
      }
      offset = next
    }
    return read
  }

  /** Adds the records at or after `offset`; returns the offset after the last good batch. */
  private async takeBatches(batches: Buffer[], offset: number, read: PartitionRead): Promise<number> {
    let next = offset
    for (const batch of batches) {
      const header = readBatchHeader(batch)
      if (!batchCrcIsValid(batch)) {
        read.corruptBatches.push(header.baseOffset)
        read.stoppedAt = {offset: header.baseOffset, reason: 'a served batch failed its CRC check'}
        return next
      }
      const lastOffset = header.baseOffset + header.lastOffsetDelta
      if (lastOffset < next) continue
      read.batches.push({baseOffset: header.baseOffset, lastOffset, maxTimestamp: header.maxTimestamp})
      for (const record of (await inflateBatch(batch)).records) {
        if (record.offset < next) continue
        read.records.push({offset: record.offset, value: record.value?.toString() ?? '', timestamp: record.timestamp})
      }
      next = lastOffset + 1
    }
    return next
  }
}
