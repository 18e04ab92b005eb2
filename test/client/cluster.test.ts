import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {Cluster} from '../../src/client/cluster.js'
import {KafkaProtocolError, NotRunningError} from '../../src/client/errors.js'
import {parseHostPort} from '../../src/client/address.js'
import {FakeCluster} from './fake-cluster.js'

async function connect(fake: FakeCluster): Promise<Cluster> {
  const options = fake.clientOptions
  const bootstrap = 'socket' in options ? [{kind: 'unix' as const, path: options.socket}] : options.bootstrapServers.map(parseHostPort)
  return Cluster.connect({bootstrap, clientId: 'test', requestTimeoutMs: 5000})
}

describe('Cluster', () => {
  let fake: FakeCluster
  let cluster: Cluster | null

  afterEach(async () => {
    cluster?.close()
    cluster = null
    await fake.stop()
  })

  it('maps every node to the socket when bootstrapped over a Unix socket', async () => {
    fake = await FakeCluster.start()
    fake.createTopic('t', 3)
    cluster = await connect(fake)
    await cluster.readyTopics(['t'])
    // the node advertises 127.0.0.1:1, where nothing listens: the socket is used instead
    const broker = await cluster.connectionTo(1)
    expect(broker.connection.address).to.deep.equal({kind: 'unix', path: (fake.clientOptions as {socket: string}).socket})
    expect(await cluster.connectionTo(1)).to.equal(broker)
    expect(fake.nodes[0]!.connections.size).to.equal(1)
  })

  it('routes to each leader at its advertised address over TCP', async () => {
    fake = await FakeCluster.start({transport: 'tcp', nodes: 3})
    fake.createTopic('t', 6)
    cluster = await connect(fake)
    await cluster.readyTopics(['t'])
    for (let partition = 0; partition < 6; partition++) {
      const leader = cluster.leaderFor('t', partition)
      expect(leader).to.equal(fake.leaderOf(partition))
      const broker = await cluster.connectionTo(leader)
      const address = fake.nodes[leader - 1]!.address as {port: number}
      expect(broker.connection.address).to.deep.equal({kind: 'tcp', host: '127.0.0.1', port: address.port})
    }
    // the bootstrap address is node 1's advertised one: its connection is reused
    expect(fake.nodes.map((n) => n.connections.size)).to.deep.equal([1, 1, 1])
  })

  it('sends admin requests to the controller', async () => {
    fake = await FakeCluster.start({transport: 'tcp', nodes: 3, controllerId: 3})
    cluster = await connect(fake)
    const controller = await cluster.controllerConnection()
    expect((controller.connection.address as {port: number}).port).to.equal((fake.nodes[2]!.address as {port: number}).port)
  })

  it('waits for a topic that appears shortly after (just created)', async () => {
    fake = await FakeCluster.start()
    cluster = await connect(fake)
    let lookups = 0
    fake.intercept(ApiKey.Metadata, (_request, _context, next) => {
      if (++lookups === 3) fake.createTopic('late', 2)
      return next()
    })
    const [topic] = await cluster.readyTopics(['late'])
    expect(topic!.partitions.length).to.equal(2)
    expect(lookups).to.equal(3)
  })

  it('gives up on a topic that stays unknown with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    fake = await FakeCluster.start()
    cluster = await connect(fake)
    try {
      await cluster.readyTopics(['nope'])
      expect.fail('resolved')
    } catch (error) {
      expect(error).to.be.instanceOf(KafkaProtocolError)
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect((error as Error).message).to.match(/^topic nope: UNKNOWN_TOPIC_OR_PARTITION/)
    }
  })

  it('reconnects after a connection drops', async () => {
    fake = await FakeCluster.start()
    cluster = await connect(fake)
    const first = await cluster.connectionTo(1)
    first.connection.close()
    await new Promise((resolve) => setImmediate(resolve))
    const second = await cluster.connectionTo(1)
    expect(second).to.not.equal(first)
    expect(second.connection.closed).to.equal(false)
  })

  it('fails to connect with NotRunningError when the socket is gone', async () => {
    fake = await FakeCluster.start()
    const options = fake.clientOptions as {socket: string}
    await fake.stop()
    fake = await FakeCluster.start() // for afterEach
    try {
      await Cluster.connect({bootstrap: [{kind: 'unix', path: options.socket}], clientId: 'x', requestTimeoutMs: 1000})
      expect.fail('connected')
    } catch (error) {
      expect(error).to.be.instanceOf(NotRunningError)
    }
  })

  it('tries bootstrap servers in order until one answers', async () => {
    fake = await FakeCluster.start({transport: 'tcp'})
    const good = (fake.clientOptions as {bootstrapServers: string[]}).bootstrapServers[0]!
    cluster = await Cluster.connect({bootstrap: [parseHostPort('127.0.0.1:1'), parseHostPort(good)], clientId: 'x', requestTimeoutMs: 1000})
    expect(cluster.controllerId).to.equal(1)
  })
})
