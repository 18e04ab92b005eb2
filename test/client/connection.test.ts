import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {ApiKey, encodeResponse, type ResponseTypes} from '../../src/protocol/index.js'
import {Connection} from '../../src/client/connection.js'
import {ConnectionError, NotRunningError, TimeoutError} from '../../src/client/errors.js'
import {FrameReader} from '../../src/client/frame-reader.js'
import {FakeCluster} from './fake-cluster.js'

const METADATA_NONE = {topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('Connection', () => {
  let cluster: FakeCluster
  let connection: Connection

  beforeEach(async () => {
    cluster = await FakeCluster.start()
    const socket = (cluster.clientOptions as {socket: string}).socket
    connection = await Connection.open({address: {kind: 'unix', path: socket}, clientId: 'test', requestTimeoutMs: 5000})
  })

  afterEach(async () => {
    connection.close()
    await cluster.stop()
  })

  it('pipelines requests and matches each response to its request', async () => {
    cluster.createTopic('a', 1)
    cluster.createTopic('b', 2)
    const asks = ['a', 'b', 'a', 'b', 'missing'].map((name) =>
      connection.request(ApiKey.Metadata, 9, {...METADATA_NONE, topics: [{topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name}]}),
    )
    expect(connection.inFlight).to.equal(5)
    const answers = await Promise.all(asks)
    expect(answers.map((a) => a.topics[0]!.name)).to.deep.equal(['a', 'b', 'a', 'b', 'missing'])
    expect(answers.map((a) => a.topics[0]!.partitions.length)).to.deep.equal([1, 2, 1, 2, 0])
    const ids = cluster.requestsOf(ApiKey.Metadata).map((r) => r.correlationId)
    expect(new Set(ids).size).to.equal(5)
    expect(cluster.requestsOf(ApiKey.Metadata).every((r) => r.clientId === 'test')).to.equal(true)
  })

  it('matches responses by correlation id even when they arrive out of order', async () => {
    const held: {socket: net.Socket; correlationId: number; body: ResponseTypes[3]}[] = []
    cluster.intercept(ApiKey.Metadata, async (request, context, next) => {
      const body = (await next()) as ResponseTypes[3]
      held.push({socket: context.socket, correlationId: context.correlationId, body: {...body, clusterId: request.topics![0]!.name}})
      if (held.length === 2) {
        for (const h of held.reverse()) h.socket.write(encodeResponse(ApiKey.Metadata, context.version, h.correlationId, h.body))
      }
      return 'no-response' as const
    })
    const first = connection.request(ApiKey.Metadata, 9, {...METADATA_NONE, topics: [{topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'first'}]})
    const second = connection.request(ApiKey.Metadata, 9, {...METADATA_NONE, topics: [{topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'second'}]})
    expect((await first).clusterId).to.equal('first')
    expect((await second).clusterId).to.equal('second')
  })

  it('fails every pending request loudly on a response that matches none', async () => {
    cluster.intercept(ApiKey.Metadata, async (_request, context, next) => {
      const body = (await next()) as ResponseTypes[3]
      return {raw: encodeResponse(ApiKey.Metadata, context.version, context.correlationId + 1000, body)}
    })
    const first = connection.request(ApiKey.Metadata, 9, METADATA_NONE)
    const error = await rejection(first)
    expect(error).to.be.instanceOf(ConnectionError)
    expect(error.message).to.match(/correlation id \d+ .* matches no pending request/)
    expect(connection.closed).to.equal(true)
    expect(await rejection(connection.request(ApiKey.Metadata, 9, METADATA_NONE))).to.equal(error)
  })

  it('times a request out, then closes the connection and fails the requests behind it', async () => {
    await connection.request(ApiKey.Metadata, 9, METADATA_NONE) // the connection works
    cluster.intercept(ApiKey.Metadata, () => 'no-response')
    const stuck = connection.request(ApiKey.Metadata, 9, METADATA_NONE, 50)
    const behind = connection.request(ApiKey.Metadata, 9, METADATA_NONE, 60_000)
    const timeout = await rejection(stuck)
    expect(timeout).to.be.instanceOf(TimeoutError)
    expect((timeout as TimeoutError).code).to.equal('WEIR_ERR_TIMEOUT')
    expect(timeout.message).to.match(/timed out after 50 ms/)
    const other = await rejection(behind)
    expect(other).to.be.instanceOf(ConnectionError)
    expect(other.message).to.match(/after a request timed out/)
  })

  it('rejects pending requests when the broker closes the connection', async () => {
    cluster.intercept(ApiKey.Metadata, () => 'close')
    const error = await rejection(connection.request(ApiKey.Metadata, 9, METADATA_NONE))
    expect(error).to.be.instanceOf(ConnectionError)
    expect((error as ConnectionError).code).to.equal('WEIR_ERR_CONNECTION')
  })

  it('rejects pending requests when closed by the caller, and tells close listeners', async () => {
    cluster.intercept(ApiKey.Metadata, () => 'no-response')
    const pending = connection.request(ApiKey.Metadata, 9, METADATA_NONE)
    let notified: Error | null = null
    connection.onClose((error) => (notified = error))
    connection.close()
    const error = await rejection(pending)
    expect(error).to.be.instanceOf(ConnectionError)
    expect(notified).to.equal(error)
  })

  it('resolves a request without a response (acks=0) once written', async () => {
    cluster.createTopic('t', 1)
    await connection.send(ApiKey.Produce, 9, {transactionalId: null, acks: 0, timeoutMs: 1000, topicData: []})
    expect(connection.inFlight).to.equal(0)
    // the next request's answer is not mistaken for one to the Produce
    const answer = await connection.request(ApiKey.Metadata, 9, METADATA_NONE)
    expect(answer.controllerId).to.equal(1)
  })

  it('writes requests carrying large record batches intact, pipelined with others', async () => {
    cluster.createTopic('t', 2)
    const batch = (size: number, fill: number): Buffer => Buffer.alloc(size, fill)
    const produce = (acks: number, sizes: [number, number], fill: number) => ({
      transactionalId: null,
      acks,
      timeoutMs: 1000,
      topicData: [{name: 't', partitionData: sizes.map((size, index) => ({index, records: batch(size, fill + index)}))}],
    })
    // (filler bytes, not record batches: the fake stores nothing, only the bytes on the wire matter here)
    const sent = [produce(1, [300_000, 100], 1), produce(0, [5_000, 70_000], 3), produce(1, [1_000_000, 4096], 5)]
    const metadata = connection.request(ApiKey.Metadata, 9, METADATA_NONE)
    const first = connection.request(ApiKey.Produce, 9, sent[0]!)
    const second = connection.send(ApiKey.Produce, 9, sent[1]!)
    const third = connection.request(ApiKey.Produce, 3, sent[2]!)
    await Promise.all([metadata, first, second, third])
    const received = cluster.requestsOf(ApiKey.Produce)
    expect(received.map((r) => r.version)).to.deep.equal([9, 9, 3])
    received.forEach((request, i) => {
      const records = request.body.topicData[0]!.partitionData.map((p) => p.records!)
      const expected = sent[i]!.topicData[0]!.partitionData.map((p) => p.records)
      expect(records.map((r, j) => r.equals(expected[j]!))).to.deep.equal([true, true])
    })
  })

  it('reassembles responses split across reads and several responses in one read', () => {
    const frames = [Buffer.from([0, 0, 0, 3, 1, 2, 3]), Buffer.from([0, 0, 0, 1, 9]), Buffer.from([0, 0, 0, 0])]
    const stream = Buffer.concat(frames)
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new FrameReader()
      const out = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))]
      expect(out.map((f) => [...f]), `cut at ${cut}`).to.deep.equal([[1, 2, 3], [9], []])
      expect(reader.pendingBytes).to.equal(0)
    }
    const byteByByte = new FrameReader()
    const out = [...stream].flatMap((byte) => byteByByte.push(Buffer.from([byte])))
    expect(out.map((f) => [...f])).to.deep.equal([[1, 2, 3], [9], []])
  })

  it('refuses a negative frame size', () => {
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).to.throw(/invalid frame size -2/)
  })
})

describe('Connection.open', () => {
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'weir-client-conn-'))
  })

  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('reports a missing socket as the server not running, with a hint', async () => {
    const path = join(dir, 'weir.sock')
    const error = await rejection(Connection.open({address: {kind: 'unix', path}, clientId: 'x', requestTimeoutMs: 1000}))
    expect(error).to.be.instanceOf(NotRunningError)
    expect(error.message).to.equal(`the Weir server is not running (no socket at ${path})`)
    expect((error as NotRunningError).hint).to.equal('start it with: weir server start')
    expect((error as NotRunningError).code).to.equal('WEIR_ERR_NOT_RUNNING')
  })

  it('reports a socket nobody listens on (connection refused) as the server not running', async () => {
    const path = join(dir, 'stale.sock')
    writeFileSync(path, '') // connecting to a non-socket file is refused, like a stale socket
    const error = await rejection(Connection.open({address: {kind: 'unix', path}, clientId: 'x', requestTimeoutMs: 1000}))
    expect(error).to.be.instanceOf(NotRunningError)
  })

  it('names host:port when a TCP connection is refused', async () => {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const error = await rejection(Connection.open({address: {kind: 'tcp', host: '127.0.0.1', port}, clientId: 'x', requestTimeoutMs: 1000}))
    expect(error).to.be.instanceOf(ConnectionError)
    expect(error.message).to.equal(`cannot connect to 127.0.0.1:${port}: connection refused`)
  })

  it('connects over TCP with Nagle off', async () => {
    const cluster = await FakeCluster.start({transport: 'tcp'})
    try {
      const [host, port] = (cluster.clientOptions as {bootstrapServers: string[]}).bootstrapServers[0]!.split(':')
      const connection = await Connection.open({address: {kind: 'tcp', host: host!, port: Number(port)}, clientId: 'x', requestTimeoutMs: 1000})
      const answer = await connection.request(ApiKey.Metadata, 4, METADATA_NONE)
      expect(answer.brokers[0]!.port).to.equal(Number(port))
      connection.close()
    } finally {
      await cluster.stop()
    }
  })
})
