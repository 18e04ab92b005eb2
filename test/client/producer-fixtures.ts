// What the producer tests share: a producer on the shared fake cluster (fake-cluster-session.ts) with short
// retry backoffs, and helpers that read Produce requests, hold or fail their responses, and read back the
// values the fake stored. Separate from the tests so that each producer-*.test.ts covers one behaviour.
import {
  ApiKey,
  encodeResponse,
  inflateBatchSync,
  readBatchHeader,
  splitBatches,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/index.js'
import {type Producer, type ProducerOptions} from '../../src/client/index.js'
import {client} from './fake-cluster-session.js'
import {type FakeCluster} from './fake-cluster.js'

/** A producer on the shared client, retrying after 5 ms unless `options` say otherwise. */
export function producer(options: ProducerOptions = {}): Producer {
  return client.producer({retryBackoffMs: 5, ...options})
}

export type ProduceRequest = RequestTypes[0]

/** Batches per partition in a Produce request: [topic/partition, record count][]. */
export function batchesOf(request: ProduceRequest): [string, number][] {
  return request.topicData.flatMap((t) =>
    t.partitionData.flatMap((p) => splitBatches(p.records!).map((b) => [`${t.name}/${p.index}`, readBatchHeader(b).recordCount] as [string, number])),
  )
}

/** A Produce response failing the given partitions with `errorCode`, succeeding the others. */
export async function answerWithError(
  request: ProduceRequest,
  next: (request?: ProduceRequest) => Promise<unknown>,
  failing: (topic: string, partition: number) => boolean,
  errorCode: number,
): Promise<ResponseTypes[0]> {
  const keep: ProduceRequest = {
    ...request,
    topicData: request.topicData.map((t) => ({...t, partitionData: t.partitionData.filter((p) => !failing(t.name, p.index))})),
  }
  const succeeded = keep.topicData.some((t) => t.partitionData.length > 0)
    ? ((await next(keep)) as ResponseTypes[0])
    : {responses: [], throttleTimeMs: 0}
  const failed = request.topicData.map((t) => ({
    name: t.name,
    partitionResponses: t.partitionData.filter((p) => failing(t.name, p.index)).map((p) => ({index: p.index, errorCode, baseOffset: -1})),
  }))
  return {...succeeded, responses: [...succeeded.responses, ...failed]} as unknown as ResponseTypes[0]
}

/**
 * Holds Produce responses until `count` requests wait for theirs (the last few: a moment longer), then
 * writes them in request order, as a broker does; records are appended when each request arrives.
 * `answer` makes each reply (default: the fake's own). Reports the most batches of one partition that
 * waited for their responses at once.
 */
export function holdProduceResponses(
  fake: FakeCluster,
  count: number,
  answer: (request: ProduceRequest, next: (request?: ProduceRequest) => Promise<unknown>) => Promise<unknown> = (_request, next) => next(),
): {mostInFlight: () => number} {
  const waiting = new Map<number, number>()
  let most = 0
  const held: (() => void)[] = []
  const releaseAll = (): void => {
    for (const write of held.splice(0)) write()
  }
  fake.intercept(ApiKey.Produce, async (request, context, next) => {
    const partitions = request.topicData.flatMap((t) => t.partitionData.map((data) => data.index))
    for (const partition of partitions) {
      waiting.set(partition, (waiting.get(partition) ?? 0) + 1)
      most = Math.max(most, waiting.get(partition)!)
    }
    const reply = (await answer(request, next)) as ResponseTypes[0]
    held.push(() => {
      for (const partition of partitions) waiting.set(partition, waiting.get(partition)! - 1)
      context.socket.write(encodeResponse(ApiKey.Produce, context.version, context.correlationId, reply))
    })
    if (held.length >= count) releaseAll()
    else void fake.delay(200).then(releaseAll)
    return 'no-response' as const
  })
  return {mostInFlight: () => most}
}

/** The numeric values of a stored batch's records. */
export function batchValues(batch: Buffer): number[] {
  return inflateBatchSync(batch).records.map((r) => Number(r.value!.toString()))
}

export async function valuesOf(fake: FakeCluster, partition: number): Promise<number[]> {
  return (await fake.partition('t', partition).records()).map((r) => Number(r.value!.toString()))
}

export async function batchValuesOf(fake: FakeCluster, partition: number): Promise<number[][]> {
  return fake.partition('t', partition).batches.map(batchValues)
}
