/**
 * Produce (key 0), versions 0-11; v0-2 are answered UNSUPPORTED_VERSION (35) per partition.
 *
 * Why 0 is advertised at all: librdkafka before 2.11.1 enables gzip/snappy/lz4 only when Produce v0
 * is inside the advertised range and otherwise drops compression silently. AK 4.0 does the same
 * (advertises 0, rejects 0-2), since v0-2 carry the legacy message formats Weir does not store.
 *
 * Behaviour: each partition's records must be exactly one RecordBatch v2 (see produced-batch.ts);
 * it is appended as is, the log assigning offsets by rewriting baseOffset. No record is decoded.
 * Unknown topic or partition -> 3 (Produce never creates topics); an internal topic
 * (__consumer_offsets, written by the group coordinator alone) -> 17, as Kafka answers clients;
 * acks outside {-1, 0, 1} -> 21;
 * a batch larger than segment.bytes -> 18; a log that cannot be written -> 56. LogAppendTimeMs is
 * the stamped time on LogAppendTime topics, else -1.
 * Idempotent and transactional batches (a producer id in the header) are checked by the partition
 * log against the producer's state (storage's producer-state.ts): a retry of one of the producer's
 * last 5 batches is answered with success and the BaseOffset it was first written at, and nothing
 * is appended (Kafka never answers DUPLICATE_SEQUENCE_NUMBER, 46); a stale epoch -> 47
 * (INVALID_PRODUCER_EPOCH); a gap in the sequence, or a new epoch not starting at 0 -> 45
 * (OUT_OF_ORDER_SEQUENCE_NUMBER); a plain batch while the producer's transaction is open -> 48
 * (INVALID_TXN_STATE). Control batches come only from the transaction coordinator: a client's -> 87.
 * A transactional batch is appended only when the coordinator has the partition in the open
 * transaction of the request's TransactionalId with the batch's producer id and epoch
 * (transactions/produce-verification.ts, Kafka's transaction verification); a request with
 * transactional batches and no TransactionalId -> 53 for every partition.
 * acks=1 answers once the batch is in the page cache; acks=-1 ("all": on one machine, the disk)
 * once each touched partition is fsync'd; acks=0 gets no response, and a failed partition closes
 * the connection so the producer notices, as AK does.
 *
 * Appends happen before the handler parks, so pipelined requests on one connection are appended in
 * the order they arrived (a connection starts its next request once this one settles or parks).
 * With acks=all the request parks while it waits for the fsync: its connection starts the next
 * request, and concurrent fsyncs are grouped.
 *
 * Compacted topics (cleanup.policy with compact) refuse records without a key, as Kafka does:
 * INVALID_RECORD (87) with Kafka's message and RecordErrors (produced-batch.ts). That check reads
 * the records, so their batches are checked, decompressing them, before any partition is appended;
 * batches of other topics are never decoded.
 *
 * Version notes: v3 RecordBatch v2 + TransactionalId; v5 LogStartOffset; v7 zstd; v8 RecordErrors
 * and ErrorMessage; v9 flexible; v10 CurrentLeader/NodeEndpoints (tagged, left empty: no leader
 * changes on one node); v11 nothing new for the broker.
 */
import {ApiKey, BATCH_HEADER_SIZE, ErrorCode, readBatchHeader, type PartitionProduceData, type PartitionProduceResponse,
  type ProduceRequest, type ProduceResponse, type TopicProduceResponse} from '../../protocol/index.js'
import {ATTRIBUTES_AT, InvalidBatchError, InvalidProducerEpochError, InvalidTxnStateError, OutOfOrderSequenceError,
  RecordBatchTooLargeError, StorageError, TRANSACTIONAL_FLAG, type PartitionLog} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {ConnectionError} from '../errors.js'
import {type BatchCheck, checkProducedBatch, checkRecordKeys} from '../produced-batch.js'
import {registerHandler} from '../registry.js'
import {topicConfigValue} from '../config-entries.js'
import {isInternalTopic} from '../topic-names.js'
import {MISSING_TRANSACTIONAL_ID, verifyTransactionalBatch} from '../transactions/produce-verification.js'

/** Produce versions carrying legacy message formats, refused per partition. */
const FIRST_BATCH_V2_VERSION = 3
const VALID_ACKS = new Set([-1, 0, 1])

export const produceHandler = registerHandler({
  apiKey: ApiKey.Produce,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 11,
  async handle(request: ProduceRequest, version: number, ctx: BrokerContext): Promise<ProduceResponse | null> {
    const refusal = requestRefusal(request, version)
    const keyChecks = refusal === null ? compactedBatchChecks(request, version, ctx) : undefined
    const checked = keyChecks === undefined ? NO_CHECKS : await keyChecks
    const toFlush = new Map<PartitionLog, PartitionProduceResponse[]>()
    const responses: TopicProduceResponse[] = request.topicData.map(topic => ({
      name: topic.name,
      partitionResponses: topic.partitionData.map(data => {
        if (refusal !== null) return failed(data.index, refusal.errorCode, refusal.message)
        const {response, log} = appendPartition(topic.name, data, {version, transactionalId: request.transactionalId}, ctx, checked.get(data))
        if (log !== undefined && request.acks === -1) appendTo(toFlush, log, response)
        return response
      }),
    }))
    if (request.acks === 0) {
      const failures = responses.flatMap(t => t.partitionResponses.filter(p => p.errorCode !== 0).map(p => `${t.name}-${p.index}: ${p.errorMessage}`))
      if (failures.length > 0) throw new ConnectionError(`Produce with acks=0 failed: ${failures.join('; ')}`)
      return null
    }
    // Appended in order; only the fsync is left to wait for, so the connection may go on (and
    // the fsyncs of requests pipelined behind this one are grouped with it).
    if (toFlush.size > 0) ctx.parked?.()
    await flushAll(toFlush, ctx)
    return {responses, throttleTimeMs: 0, nodeEndpoints: []}
  },
})

function requestRefusal(request: ProduceRequest, version: number): {errorCode: number; message: string} | null {
  if (version < FIRST_BATCH_V2_VERSION) {
    return {errorCode: ErrorCode.UNSUPPORTED_VERSION,
      message: `Produce v${version} carries legacy message formats; use v${FIRST_BATCH_V2_VERSION} or later (record batch v2)`}
  }
  if (!VALID_ACKS.has(request.acks)) {
    return {errorCode: ErrorCode.INVALID_REQUIRED_ACKS, message: `acks must be -1, 0 or 1, got ${request.acks}`}
  }
  if (request.transactionalId === null && request.topicData.some(topic => topic.partitionData.some(data => isTransactional(data.records)))) {
    return MISSING_TRANSACTIONAL_ID
  }
  return null
}

/** Whether the records start with a transactional batch: the attributes' transactional bit, from the header alone. */
function isTransactional(records: Buffer | null): boolean {
  return records !== null && records.length >= BATCH_HEADER_SIZE && (records.readInt16BE(ATTRIBUTES_AT) & TRANSACTIONAL_FLAG) !== 0
}

const NO_CHECKS: ReadonlyMap<PartitionProduceData, BatchCheck> = new Map()

/**
 * The checks of the batches sent to compacted partitions, keys included (checkRecordKeys), which
 * need an await; undefined when the request touches no compacted partition.
 */
function compactedBatchChecks(request: ProduceRequest, version: number, ctx: BrokerContext):
  Promise<Map<PartitionProduceData, BatchCheck>> | undefined {
  const checks: Promise<[PartitionProduceData, BatchCheck]>[] = []
  for (const topic of request.topicData) {
    const meta = ctx.logs.topic(topic.name)
    for (const data of topic.partitionData) {
      if (meta === undefined || ctx.logs.partition(topic.name, data.index)?.compacted !== true) continue
      const check = batchCheck(data, version, meta.configs, ctx)
      checks.push(check.ok ? checkRecordKeys(data.records as Buffer, `${topic.name}-${data.index}`).then(keys => [data, keys]) : Promise.resolve([data, check]))
    }
  }
  return checks.length === 0 ? undefined : Promise.all(checks).then(entries => new Map(entries))
}

function batchCheck(data: PartitionProduceData, version: number, configs: Record<string, string>, ctx: BrokerContext): BatchCheck {
  const maxMessageBytes = Number(topicConfigValue('max.message.bytes', configs, ctx.settings))
  return checkProducedBatch(data.records, {maxMessageBytes, produceVersion: version})
}

/** Appends one partition's batch; `checked` is its check when compactedBatchChecks made it. */
function appendPartition(topic: string, data: PartitionProduceData, request: {version: number; transactionalId: string | null},
  ctx: BrokerContext, checked?: BatchCheck): {response: PartitionProduceResponse; log?: PartitionLog} {
  const {version} = request
  const meta = ctx.logs.topic(topic)
  const log = meta === undefined ? undefined : ctx.logs.partition(topic, data.index)
  if (meta === undefined || log === undefined) {
    return {response: failed(data.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic or partition ${topic}-${data.index}`)}
  }
  if (isInternalTopic(topic)) return {response: failed(data.index, ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot append to internal topic ${topic}`)}
  const check = checked ?? batchCheck(data, version, meta.configs, ctx)
  if (!check.ok) return {response: {...failed(data.index, check.errorCode, check.message), recordErrors: check.recordErrors ?? []}}
  const refusal = transactionRefusal(topic, data, request, ctx)
  if (refusal !== null) return {response: failed(data.index, refusal.errorCode, refusal.message)}
  try {
    const appended = log.append(data.records as Buffer)
    return {log, response: {...succeeded(data.index, appended.baseOffset),
      logAppendTimeMs: appended.logAppendTime, logStartOffset: log.logStartOffset}}
  } catch (error) {
    return {response: failed(data.index, appendErrorCode(error, ctx, `${topic}-${data.index}`), (error as Error).message)}
  }
}

/** A transactional batch's refusal by the coordinator, checked in the same turn as its append; null to append. */
function transactionRefusal(topic: string, data: PartitionProduceData, request: {version: number; transactionalId: string | null},
  ctx: BrokerContext): {errorCode: number; message: string} | null {
  const records = data.records as Buffer
  if (!isTransactional(records)) return null
  if (request.transactionalId === null) return MISSING_TRANSACTIONAL_ID
  const header = readBatchHeader(records, 0)
  return verifyTransactionalBatch(ctx.transactions, request.transactionalId, header, topic, data.index, request.version)
}

/** Storage's refusals as Kafka codes; anything unexpected is logged with its stack. */
function appendErrorCode(error: unknown, ctx: BrokerContext, partition: string): number {
  if (error instanceof RecordBatchTooLargeError) return ErrorCode.RECORD_LIST_TOO_LARGE
  if (error instanceof InvalidBatchError) return ErrorCode.CORRUPT_MESSAGE
  if (error instanceof InvalidProducerEpochError) return ErrorCode.INVALID_PRODUCER_EPOCH
  if (error instanceof OutOfOrderSequenceError) return ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER
  if (error instanceof InvalidTxnStateError) return ErrorCode.INVALID_TXN_STATE
  if (!(error instanceof StorageError)) ctx.log(`produce to ${partition} failed: ${(error as Error).stack ?? String(error)}`)
  return ErrorCode.KAFKA_STORAGE_ERROR
}

/** Adds `value` to the list kept under `key`, growing it in place. */
function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const values = map.get(key)
  if (values === undefined) map.set(key, [value])
  else values.push(value)
}

/** acks=all: one fsync per touched partition; a failed fsync turns that partition's answers into errors. */
async function flushAll(toFlush: Map<PartitionLog, PartitionProduceResponse[]>, ctx: BrokerContext): Promise<void> {
  await Promise.all([...toFlush].map(async ([log, responses]) => {
    try {
      await log.flush()
    } catch (error) {
      ctx.log(`flush of ${log.topic}-${log.partition} failed: ${(error as Error).stack ?? String(error)}`)
      for (const response of responses) {
        Object.assign(response, failed(response.index, ErrorCode.KAFKA_STORAGE_ERROR, `fsync failed: ${(error as Error).message}`))
      }
    }
  }))
}

function succeeded(index: number, baseOffset: number): PartitionProduceResponse {
  return {index, errorCode: 0, baseOffset, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [],
    errorMessage: null, currentLeader: {leaderId: -1, leaderEpoch: -1}}
}

function failed(index: number, errorCode: number, message: string): PartitionProduceResponse {
  return {...succeeded(index, -1), errorCode, errorMessage: message}
}
