import {existsSync, readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import {ApiKey, type ApiKeyValue} from '../../src/protocol/api-key.js'
import {decodeRequestBody, decodeRequestHeader, decodeResponse, encodeRequest, encodeResponse} from '../../src/protocol/frames.js'
import {inflateBatch} from '../../src/protocol/inflate-batch.js'
import type {RequestTypes, ResponseTypes} from '../../src/protocol/messages/index.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import type {ConsumedRecord} from '../../src/protocol/record.js'
import {splitBatches} from '../../src/protocol/record-batch.js'
import {encodeRecordBatch} from '../../src/protocol/record-batch-encoder.js'

/** Golden bytes from real clients (see test/fixtures/protocol/README.md). */
interface Fixture {
  name: string
  apiKey: ApiKeyValue
  version: number
  direction: 'request' | 'response'
  provenance: string
  frame: Buffer
}

const API_DIRECTORIES: Record<string, ApiKeyValue> = {
  'api-versions': ApiKey.ApiVersions,
  metadata: ApiKey.Metadata,
  produce: ApiKey.Produce,
  fetch: ApiKey.Fetch,
  'list-offsets': ApiKey.ListOffsets,
  'create-topics': ApiKey.CreateTopics,
  'delete-topics': ApiKey.DeleteTopics,
}

function fixturesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir)
  return path.join(dir, 'test', 'fixtures', 'protocol')
}

function loadFixtures(): Fixture[] {
  const root = fixturesDir()
  return Object.entries(API_DIRECTORIES).flatMap(([directory, apiKey]) =>
    readdirSync(path.join(root, directory))
      .filter((file) => file.endsWith('.hex'))
      .map((file) => {
        const [, version, direction] = /^v(\d+)-(request|response)-/.exec(file) ?? []
        const lines = readFileSync(path.join(root, directory, file), 'utf8').split('\n')
        return {
          name: `${directory}/${file.replace(/\.hex$/, '')}`,
          apiKey,
          version: Number(version),
          direction: direction as 'request' | 'response',
          provenance: lines.filter((line) => line.startsWith('#')).map((line) => line.replace(/^#\s?/, '')).join(' '),
          frame: Buffer.from(lines.filter((line) => !line.startsWith('#')).join(''), 'hex'),
        }
      }),
  )
}

/** Decodes a fixture as the broker (requests) or the client (responses) would. */
function decodeFixture(f: Fixture): {header: Record<string, unknown>; body: Record<string, unknown>} {
  const frame = f.frame.subarray(4)
  if (f.direction === 'request') {
    const {bodyOffset, ...header} = decodeRequestHeader(frame)
    return {header, body: decodeRequestBody(f.apiKey, f.version, frame, bodyOffset) as Record<string, unknown>}
  }
  const {correlationId, body} = decodeResponse(f.apiKey, f.version, frame)
  return {header: {correlationId}, body: body as Record<string, unknown>}
}

function reencode(f: Fixture, decoded: {header: Record<string, unknown>; body: Record<string, unknown>}): Buffer {
  if (f.direction === 'request') {
    const header = decoded.header as {apiKey: ApiKeyValue; apiVersion: number; correlationId: number; clientId: string | null}
    return encodeRequest(header, decoded.body as unknown as RequestTypes[ApiKeyValue])
  }
  return encodeResponse(f.apiKey, f.version, decoded.header.correlationId as number, decoded.body as unknown as ResponseTypes[ApiKeyValue])
}

/** The records of the single partition in a Produce request or Fetch response fixture. */
function recordsBlob(f: Fixture, body: Record<string, unknown>): Buffer {
  if (f.apiKey === ApiKey.Produce) return (body as unknown as RequestTypes[0]).topicData[0].partitionData[0].records!
  return (body as unknown as ResponseTypes[1]).responses[0].partitions[0].records!
}

const text = (records: ConsumedRecord[]): [string | undefined, string | undefined, [string, string | undefined][]][] =>
  records.map((r) => [r.key?.toString(), r.value?.toString(), r.headers.map((h) => [h.key, h.value?.toString()])])

const MALFORMED = 'api-versions/v3-response-kcat-malformed-refusal'
const CLIENTS = /(kcat 1\.7\.1 \/ librdkafka 2\.0\.2|kafkajs 2\.2\.4|kafka-python 2\.0\.2)/

// The body is typed loosely: each check reads the fields of its own fixture's API.
type Check = (decoded: {header: Record<string, unknown>; body: any}) => void

/** What each client meant, fixture by fixture. */
const EXPECTATIONS: Record<string, Check> = {
  'api-versions/v3-request-kcat': ({header, body}) => {
    expect(header).to.deep.equal({apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'rdkafka'})
    expect(body).to.deep.equal({clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2'})
  },
  'api-versions/v0-request-kcat-fallback': ({header}) => {
    expect(header).to.deep.equal({apiKey: 18, apiVersion: 0, correlationId: 2, clientId: 'rdkafka'})
  },
  'api-versions/v0-request-kafka-python': ({header}) => {
    expect(header).to.deep.equal({apiKey: 18, apiVersion: 0, correlationId: 1, clientId: 'weir-fixtures'})
  },
  'api-versions/v2-request-kafkajs': ({header}) => {
    expect(header).to.deep.equal({apiKey: 18, apiVersion: 2, correlationId: 0, clientId: 'weir-fixtures'})
  },
  'api-versions/v0-response-kcat': ({body}) => expectMockApiVersions(body),
  'api-versions/v2-response-kafkajs': ({body}) => {
    expectMockApiVersions(body)
    expect(body.throttleTimeMs).to.equal(0)
  },
  'metadata/v4-request-kcat-brokers-only': ({body}) => {
    expect(body).to.include({allowAutoTopicCreation: false})
    expect(body.topics).to.deep.equal([])
  },
  'metadata/v4-request-kcat-all-topics': ({body}) => {
    expect(body).to.include({topics: null, allowAutoTopicCreation: true})
  },
  'metadata/v4-response-kcat-brokers-only': ({body}) => {
    expect(body.brokers).to.deep.equal([{nodeId: 1, host: '127.0.0.1', port: 45275, rack: null}])
    expect(body).to.include({clusterId: 'mockCluster158daa9cb8a8', controllerId: 0})
    expect(body.topics).to.deep.equal([])
  },
  'metadata/v4-response-kcat-all-topics': ({body}) => {
    expect(body.topics.map((t: {name: string}) => t.name)).to.deep.equal(['weir-fixtures', 'weir-codecs'])
    expect(body.topics[0].partitions).to.deep.equal([
      {errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: -1, replicaNodes: [1], isrNodes: [1], offlineReplicas: []},
    ])
  },
  'metadata/v6-request-kafkajs': ({body}) => {
    expect(body.topics).to.deep.equal([{topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'weir-fixtures'}])
    expect(body.allowAutoTopicCreation).to.equal(true)
  },
  'metadata/v6-response-kafkajs': ({body}) => {
    expect(body).to.include({throttleTimeMs: 0, clusterId: 'mockCluster158daa9cb8a8', controllerId: 0})
    expect(body.topics[0]).to.include({errorCode: 0, name: 'weir-fixtures', isInternal: false})
  },
  'metadata/v0-request-kafka-python': ({body}) => expect(body.topics).to.deep.equal([]),
  'metadata/v0-response-kafka-python': ({body}) => {
    // v0 has no cluster id or controller: the defaults stand in.
    expect(body).to.include({clusterId: null, controllerId: -1})
    expect(body.topics).to.have.length(2)
  },
  'metadata/v1-request-kafka-python': ({body}) => {
    expect(body.topics).to.deep.equal([{topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'weir-fixtures'}])
  },
  'metadata/v1-response-kafka-python': ({body}) => {
    expect(body).to.include({controllerId: 0, clusterId: null})
    expect(body.brokers[0]).to.deep.equal({nodeId: 1, host: '127.0.0.1', port: 45275, rack: null})
  },
  'produce/v7-request-kcat-key-header': ({body}) => expectProduce(body, 'weir-fixtures', -1),
  'produce/v7-request-kcat-gzip': ({body}) => expectProduce(body, 'weir-codecs', -1),
  'produce/v7-request-kcat-snappy': ({body}) => expectProduce(body, 'weir-codecs', -1),
  'produce/v7-request-kcat-lz4': ({body}) => expectProduce(body, 'weir-codecs', -1),
  'produce/v7-request-kcat-zstd': ({body}) => expectProduce(body, 'weir-codecs', -1),
  'produce/v7-request-kafkajs': ({body}) => expectProduce(body, 'weir-fixtures', 1),
  'produce/v7-request-kafka-python': ({body}) => expectProduce(body, 'weir-fixtures', 1),
  'produce/v7-response-kcat': ({body}) => expectProduced(body, 0),
  'produce/v7-response-kafkajs': ({body}) => expectProduced(body, 1),
  'produce/v7-response-kafka-python': ({body}) => expectProduced(body, 2),
  'list-offsets/v2-request-kcat': ({body}) => {
    // read_committed, earliest offset (timestamp -2)
    expect(body).to.include({replicaId: -1, isolationLevel: 1})
    expect(body.topics).to.deep.equal([
      {name: 'weir-fixtures', partitions: [{partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2, maxNumOffsets: 1}]},
    ])
  },
  'list-offsets/v1-request-kafka-python': ({body}) => {
    expect(body).to.include({replicaId: -1, isolationLevel: 0})
    expect(body.topics[0].partitions[0]).to.include({partitionIndex: 0, timestamp: -2})
  },
  'list-offsets/v2-response-kcat': ({body}) => expectListedOffset(body),
  'list-offsets/v1-response-kafka-python': ({body}) => expectListedOffset(body),
  'fetch/v11-request-kcat': ({body}) => {
    expect(body).to.include({replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, isolationLevel: 1, sessionEpoch: -1, rackId: ''})
    expect(body.topics[0].topic).to.equal('weir-fixtures')
    expect(body.topics[0].partitions[0]).to.include({partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: 1048576})
  },
  'fetch/v4-request-kafka-python': ({body}) => {
    expect(body).to.include({maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, isolationLevel: 0})
    expect(body.topics[0].partitions[0]).to.include({partition: 0, fetchOffset: 0, partitionMaxBytes: 1048576})
  },
  'fetch/v11-response-kcat': ({body}) => {
    expect(body.responses[0].partitions[0]).to.include({errorCode: 0, highWatermark: 1, lastStableOffset: 1, logStartOffset: 0})
  },
  'fetch/v11-response-kcat-empty': ({body}) => {
    expect(body.responses[0].partitions[0].records).to.have.length(0)
  },
  'fetch/v4-response-kafka-python': ({body}) => {
    expect(body.responses[0].partitions[0]).to.include({errorCode: 0, highWatermark: 3, lastStableOffset: 3})
    expect(body.responses[0].partitions[0].abortedTransactions).to.deep.equal([])
  },
  'create-topics/v3-request-kafkajs': ({body}) => {
    expect(body).to.deep.equal({
      topics: [
        {
          name: 'weir-kafkajs',
          numPartitions: 3,
          replicationFactor: 1,
          assignments: [],
          configs: [{name: 'cleanup.policy', value: 'compact'}],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    })
  },
  'delete-topics/v1-request-kafkajs': ({body}) => {
    expect(body).to.deep.equal({topics: [], topicNames: ['weir-kafkajs'], timeoutMs: 5000})
  },
}

function expectMockApiVersions(body: ResponseTypes[18]): void {
  expect(body.errorCode).to.equal(0)
  expect(body.apiKeys).to.have.length(17)
  expect(body.apiKeys.slice(0, 4)).to.deep.equal([
    {apiKey: 0, minVersion: 0, maxVersion: 7},
    {apiKey: 1, minVersion: 0, maxVersion: 11},
    {apiKey: 2, minVersion: 0, maxVersion: 5},
    {apiKey: 3, minVersion: 0, maxVersion: 6},
  ])
}

function expectProduce(body: RequestTypes[0], topic: string, acks: number): void {
  expect(body).to.include({transactionalId: null, acks, timeoutMs: 30000})
  expect(body.topicData.map((t) => [t.name, t.partitionData.map((p) => p.index)])).to.deep.equal([[topic, [0]]])
}

function expectProduced(body: ResponseTypes[0], baseOffset: number): void {
  expect(body.responses[0].partitionResponses[0]).to.include({index: 0, errorCode: 0, baseOffset, logStartOffset: 0})
}

function expectListedOffset(body: ResponseTypes[2]): void {
  expect(body.topics[0].partitions[0]).to.include({partitionIndex: 0, errorCode: 0, offset: 0})
}

const KCAT_RECORD = [['key1', 'hello', [['h1', 'v1']]]]
const codecRecord = (codec: string): unknown[] => [[undefined, `weir weir weir weir weir weir weir ${codec}`, []]]

/** The records inside Produce and Fetch fixtures, and the codec of their batch. */
const RECORDS: Record<string, {compression: string; records: unknown[]; timestamp?: number}> = {
  'produce/v7-request-kcat-key-header': {compression: 'none', records: KCAT_RECORD},
  'produce/v7-request-kcat-gzip': {compression: 'gzip', records: codecRecord('gzip')},
  'produce/v7-request-kcat-snappy': {compression: 'snappy', records: codecRecord('snappy')},
  'produce/v7-request-kcat-lz4': {compression: 'lz4', records: codecRecord('lz4')},
  'produce/v7-request-kcat-zstd': {compression: 'zstd', records: codecRecord('zstd')},
  'produce/v7-request-kafkajs': {
    compression: 'none',
    records: [['key2', 'from kafkajs', [['h2', 'v2']]]],
    timestamp: 1_700_000_000_000,
  },
  'produce/v7-request-kafka-python': {
    compression: 'none',
    records: [['key3', 'from kafka-python', [['h3', 'v3']]]],
    timestamp: 1_700_000_000_000,
  },
  'fetch/v11-response-kcat': {compression: 'none', records: KCAT_RECORD},
  'fetch/v4-response-kafka-python': {compression: 'none', records: KCAT_RECORD},
}

describe('golden bytes from real clients', () => {
  const fixtures = loadFixtures()

  it('are all there, each with a note naming the client that made it', () => {
    expect(fixtures.map((f) => f.name).sort()).to.deep.equal([...Object.keys(EXPECTATIONS), MALFORMED].sort())
    for (const f of fixtures) {
      expect(f.provenance, f.name).to.match(CLIENTS)
      expect(f.frame.readInt32BE(0), `${f.name} size prefix`).to.equal(f.frame.length - 4)
    }
  })

  for (const f of fixtures.filter((fixture) => fixture.name !== MALFORMED)) {
    describe(f.name, () => {
      it('decodes to what the client meant', () => {
        EXPECTATIONS[f.name](decodeFixture(f))
      })

      it('encodes back to the same bytes', () => {
        expect(reencode(f, decodeFixture(f)).toString('hex')).to.equal(f.frame.toString('hex'))
      })

      const batch = RECORDS[f.name]
      if (batch !== undefined) {
        it(`carries a ${batch.compression} batch whose records decode`, async () => {
          const batches = splitBatches(recordsBlob(f, decodeFixture(f).body))
          expect(batches).to.have.length(1)
          const {header, records} = await inflateBatch(batches[0])
          expect(header.compression).to.equal(batch.compression)
          expect(text(records)).to.deep.equal(batch.records)
          if (batch.timestamp !== undefined) expect(records[0].timestamp).to.equal(batch.timestamp)
        })
      }
      if (batch?.compression === 'none' && f.direction === 'request') {
        it('has the batch bytes our encoder writes for the same records', async () => {
          const original = splitBatches(recordsBlob(f, decodeFixture(f).body))[0]
          const {header, records} = await inflateBatch(original)
          const ours = await encodeRecordBatch(records, {
            compression: 'none',
            producerId: header.producerId,
            producerEpoch: header.producerEpoch,
            baseSequence: header.baseSequence,
          })
          // Clients differ on partitionLeaderEpoch (0 here, -1 from us): the broker overwrites it
          // and the CRC does not cover it.
          original.copy(ours, 12, 12, 16)
          expect(ours.toString('hex')).to.equal(original.toString('hex'))
        })
      }
    })
  }

  it("refuses the mock's malformed ApiVersions v3 refusal, read as the v0 answer it claims to be", () => {
    const f = fixtures.find((fixture) => fixture.name === MALFORMED)!
    expect(() => decodeFixture(f)).to.throw(ProtocolError, /UNSUPPORTED_VERSION answer, read as v0/)
  })
})
