import {expect} from 'chai'
import {ApiKey, ErrorCode, encodeRecordBatch, type ResponseTypes} from '../../src/protocol/index.js'
import {KafkaClient} from '../../src/client/index.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'

describe('Admin', () => {
  let fake: FakeCluster
  let client: KafkaClient

  async function start(options: FakeClusterOptions = {}): Promise<void> {
    fake = await FakeCluster.start(options)
    client = await KafkaClient.connect({...fake.clientOptions, clientId: 'admin-test'})
  }

  afterEach(async () => {
    await client?.close()
    await fake.stop()
  })

  describe('createTopics', () => {
    it('creates topics with their configs, replication factor -1 on CreateTopics v4+', async () => {
      await start()
      const results = await client.admin().createTopics([
        {name: 'a', partitions: 3, configs: {'retention.ms': '1000', 'cleanup.policy': 'compact'}},
        {name: 'b', partitions: 1},
      ])
      expect(results).to.deep.equal([
        {name: 'a', errorCode: 0, errorMessage: null},
        {name: 'b', errorCode: 0, errorMessage: null},
      ])
      const [request] = fake.requestsOf(ApiKey.CreateTopics)
      expect(request!.body.topics[0]!.replicationFactor).to.equal(-1)
      expect(request!.body.topics[0]!.configs).to.deep.equal([
        {name: 'retention.ms', value: '1000'},
        {name: 'cleanup.policy', value: 'compact'},
      ])
      expect(fake.topics.get('a')!.partitions.length).to.equal(3)
    })

    it('uses replication factor 1 where CreateTopics is older than v4', async () => {
      await start({maxVersions: {[ApiKey.CreateTopics]: 3}})
      await client.admin().createTopics([{name: 'a', partitions: 1}])
      const [request] = fake.requestsOf(ApiKey.CreateTopics)
      expect(request!.version).to.equal(3)
      expect(request!.body.topics[0]!.replicationFactor).to.equal(1)
    })

    it('returns per-topic errors instead of throwing', async () => {
      await start()
      fake.createTopic('exists', 1)
      const results = await client.admin().createTopics([
        {name: 'exists', partitions: 1},
        {name: 'new', partitions: 1},
        {name: 'wide', partitions: 1, replicationFactor: 3},
      ])
      expect(results.map((r) => [r.name, r.errorCode])).to.deep.equal([
        ['exists', ErrorCode.TOPIC_ALREADY_EXISTS],
        ['new', 0],
        ['wide', ErrorCode.INVALID_REPLICATION_FACTOR],
      ])
      expect(results[0]!.errorMessage).to.equal("Topic 'exists' already exists.")
    })

    it('goes to the controller and follows it when it moves (NOT_CONTROLLER)', async () => {
      await start({transport: 'tcp', nodes: 2, controllerId: 2})
      let refused = false
      fake.intercept(ApiKey.CreateTopics, (request, context, next) => {
        if (!refused) {
          refused = true
          const topics = request.topics.map((t) => ({name: t.name, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null}))
          return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[19]
        }
        return next()
      })
      const results = await client.admin().createTopics([{name: 'a', partitions: 2}])
      expect(results[0]!.errorCode).to.equal(0)
      expect(fake.requestsOf(ApiKey.CreateTopics).map((r) => r.node)).to.deep.equal([2, 2])
    })
  })

  it('lists topics sorted by name with their partition counts', async () => {
    await start()
    fake.createTopic('zeta', 2)
    fake.createTopic('alpha', 5)
    expect(await client.admin().listTopics()).to.deep.equal([
      {name: 'alpha', partitions: 5, internal: false},
      {name: 'zeta', partitions: 2, internal: false},
    ])
  })

  it('describes topics, unknown ones with their error code', async () => {
    await start()
    const topic = fake.createTopic('t', 2)
    const [found, missing] = await client.admin().describeTopics(['t', 'missing'])
    expect(found).to.deep.equal({
      name: 't',
      topicId: topic.topicId,
      errorCode: 0,
      internal: false,
      partitions: [
        {partition: 0, leader: 1, replicas: [1], isr: [1]},
        {partition: 1, leader: 1, replicas: [1], isr: [1]},
      ],
    })
    expect(missing!.errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })

  for (const deleteTopicsVersion of [6, 3]) {
    it(`deletes topics (DeleteTopics v${deleteTopicsVersion})`, async () => {
      await start({maxVersions: {[ApiKey.DeleteTopics]: deleteTopicsVersion}})
      fake.createTopic('t', 1)
      const results = await client.admin().deleteTopics(['t', 'ghost'])
      expect(results.map((r) => [r.name, r.errorCode])).to.deep.equal([
        ['t', 0],
        ['ghost', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ])
      expect(fake.topics.has('t')).to.equal(false)
      expect(fake.requestsOf(ApiKey.DeleteTopics)[0]!.version).to.equal(deleteTopicsVersion)
    })
  }

  describe('listOffsets', () => {
    async function fill(partition: number, timestamps: number[]): Promise<void> {
      const records = timestamps.map((timestamp) => ({key: null, value: Buffer.from('v'), headers: [], timestamp}))
      fake.partition('t', partition).append(await encodeRecordBatch(records, {compression: 'none'}))
    }

    it('resolves earliest, latest and timestamps at each partition leader', async () => {
      await start({transport: 'tcp', nodes: 2})
      fake.createTopic('t', 2)
      await fill(0, [1000, 2000, 3000])
      await fill(1, [5000])
      fake.partition('t', 0).logStartOffset = 1
      const admin = client.admin()
      expect([...(await admin.listOffsets('t', [0, 1], 'earliest'))].sort()).to.deep.equal([[0, 1], [1, 0]])
      expect([...(await admin.listOffsets('t', [0, 1], 'latest'))].sort()).to.deep.equal([[0, 3], [1, 1]])
      expect([...(await admin.listOffsets('t', [0, 1], 2500))].sort()).to.deep.equal([[0, 2], [1, 0]])
      expect([...(await admin.listOffsets('t', [0], 9999))]).to.deep.equal([[0, -1]])
      const nodes = fake.requestsOf(ApiKey.ListOffsets).slice(0, 2).map((r) => r.node).sort()
      expect(nodes).to.deep.equal([1, 2])
    })

    it('throws for a partition the topic does not have', async () => {
      await start()
      fake.createTopic('t', 2)
      try {
        await client.admin().listOffsets('t', [0, 7], 'latest')
        expect.fail('resolved')
      } catch (error) {
        expect(error).to.be.instanceOf(KafkaProtocolError)
        expect((error as Error).message).to.equal('t/7: UNKNOWN_TOPIC_OR_PARTITION (topic t has 2 partitions)')
      }
    })

    it('retries partitions answered with a retriable error', async () => {
      await start()
      fake.createTopic('t', 1)
      let answered = 0
      fake.intercept(ApiKey.ListOffsets, (request, _context, next) => {
        if (answered++ > 0) return next()
        const topics = request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode: ErrorCode.LEADER_NOT_AVAILABLE, offset: -1})),
        }))
        return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[2]
      })
      expect([...(await client.admin().listOffsets('t', [0], 'latest'))]).to.deep.equal([[0, 0]])
      expect(answered).to.equal(2)
    })
  })
})
