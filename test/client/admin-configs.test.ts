import {expect} from 'chai'
import {ApiKey, ErrorCode, encodeRecordBatch} from '../../src/protocol/index.js'
import {applyOperations} from '../../src/client/admin-configs.js'
import {fakeSession} from './fake-session.js'

describe('Admin: configs, partitions and records', () => {
  const session = fakeSession('admin-test')
  const start = session.start

  describe('describeConfigs', () => {
    it('describes a topic with sources, types, synonyms and documentation, and a missing topic by its error', async () => {
      await start()
      session.fake.createTopic('t', 1).configs = {'retention.ms': '1000'}
      const [topic, missing] = await session.client.admin().describeConfigs(
        [{type: 'topic', name: 't'}, {type: 'topic', name: 'ghost'}], {synonyms: true, documentation: true})
      expect(topic!.errorCode).to.equal(0)
      const retention = topic!.configs.find((c) => c.name === 'retention.ms')
      expect(retention).to.deep.equal({
        name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false, readOnly: false, sensitive: false,
        synonyms: [{name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG'}, {name: 'log.retention.ms', value: '604800000', source: 'DEFAULT_CONFIG'}],
        type: 'LONG', documentation: 'What retention.ms does.',
      })
      expect(topic!.configs.find((c) => c.name === 'cleanup.policy')).to.include({value: 'delete', source: 'DEFAULT_CONFIG', isDefault: true, type: 'LIST'})
      expect(missing).to.include({errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION})
      expect(missing!.resource).to.deep.equal({type: 'topic', name: 'ghost'})
    })

    it('asks for only the keys given, and no synonyms unless asked', async () => {
      await start()
      session.fake.createTopic('t', 1)
      const [topic] = await session.client.admin().describeConfigs([{type: 'topic', name: 't'}], {keys: ['segment.bytes']})
      expect(topic!.configs.map((c) => [c.name, c.synonyms.length])).to.deep.equal([['segment.bytes', 0]])
    })

    it('sends a broker\'s own resource to that broker, and topics to any one', async () => {
      await start({transport: 'tcp', nodes: 2})
      session.fake.createTopic('t', 1)
      const results = await session.client.admin().describeConfigs([{type: 'broker', name: '2'}, {type: 'topic', name: 't'}, {type: 'broker', name: '1'}])
      expect(results.map((r) => [r.resource.type, r.resource.name, r.errorCode])).to.deep.equal([['broker', '2', 0], ['topic', 't', 0], ['broker', '1', 0]])
      expect(results[0]!.configs.find((c) => c.name === 'log.retention.hours')).to.include({value: '168', source: 'STATIC_BROKER_CONFIG'})
      const sent = session.fake.requestsOf(ApiKey.DescribeConfigs).flatMap((r) => r.body.resources.map((res) => [res.resourceName, r.node]))
      expect(sent).to.have.deep.members([['2', 2], ['1', 1], ['t', sent.find(([name]) => name === 't')![1]]])
    })

    it('reads DescribeConfigs v0, which only says whether a value is the default', async () => {
      await start({maxVersions: {[ApiKey.DescribeConfigs]: 0}})
      session.fake.createTopic('t', 1).configs = {'retention.ms': '1000'}
      const [topic] = await session.client.admin().describeConfigs([{type: 'topic', name: 't'}], {synonyms: true})
      expect(topic!.configs.find((c) => c.name === 'retention.ms')).to.include({source: 'DYNAMIC_TOPIC_CONFIG', isDefault: false, type: 'UNKNOWN'})
      expect(topic!.configs.find((c) => c.name === 'retention.bytes')).to.include({source: 'DEFAULT_CONFIG', isDefault: true})
      expect(session.fake.requestsOf(ApiKey.DescribeConfigs)[0]!.version).to.equal(0)
    })
  })

  describe('altering configs', () => {
    it('alterConfigs replaces the whole set of overrides; validateOnly changes nothing', async () => {
      await start()
      session.fake.createTopic('t', 1).configs = {'retention.ms': '1000'}
      const admin = session.client.admin()
      const checked = await admin.alterConfigs([{resource: {type: 'topic', name: 't'}, configs: {'segment.bytes': '1024'}}], {validateOnly: true})
      expect(checked).to.deep.equal([{resource: {type: 'topic', name: 't'}, errorCode: 0, errorMessage: null}])
      expect(session.fake.topics.get('t')!.configs).to.deep.equal({'retention.ms': '1000'})
      await admin.alterConfigs([{resource: {type: 'topic', name: 't'}, configs: {'segment.bytes': '1024'}}])
      expect(session.fake.topics.get('t')!.configs).to.deep.equal({'segment.bytes': '1024'})
    })

    it('incrementalAlterConfigs sets, deletes and appends single keys, and reports a bad key per resource', async () => {
      await start()
      session.fake.createTopic('t', 1).configs = {'retention.ms': '1000'}
      session.fake.createTopic('u', 1)
      const results = await session.client.admin().incrementalAlterConfigs([
        {resource: {type: 'topic', name: 't'}, operations: [{name: 'retention.ms', op: 'delete'}, {name: 'segment.bytes', op: 'set', value: '2048'},
          {name: 'cleanup.policy', op: 'append', value: 'compact'}]},
        {resource: {type: 'topic', name: 'u'}, operations: [{name: 'bogus.key', op: 'set', value: '1'}]},
      ])
      expect(results.map((r) => [r.resource.name, r.errorCode, r.errorMessage])).to.deep.equal([
        ['t', 0, null], ['u', ErrorCode.INVALID_CONFIG, 'Unknown topic config name: bogus.key'],
      ])
      expect(session.fake.topics.get('t')!.configs).to.deep.equal({'segment.bytes': '2048', 'cleanup.policy': 'delete,compact'})
      expect(session.fake.requestsOf(ApiKey.IncrementalAlterConfigs)).to.have.length(1)
    })

    it('falls back to DescribeConfigs + AlterConfigs on a broker without IncrementalAlterConfigs', async () => {
      await start({missingApis: [ApiKey.IncrementalAlterConfigs]})
      session.fake.createTopic('t', 1).configs = {'retention.ms': '1000', 'cleanup.policy': 'delete,compact'}
      const results = await session.client.admin().incrementalAlterConfigs([
        {resource: {type: 'topic', name: 't'}, operations: [{name: 'segment.bytes', op: 'set', value: '2048'}, {name: 'cleanup.policy', op: 'subtract', value: 'delete'}]},
        {resource: {type: 'topic', name: 'ghost'}, operations: [{name: 'segment.bytes', op: 'set', value: '1'}]},
      ])
      expect(results.map((r) => [r.resource.name, r.errorCode])).to.deep.equal([['t', 0], ['ghost', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]])
      expect(session.fake.topics.get('t')!.configs).to.deep.equal({'retention.ms': '1000', 'cleanup.policy': 'compact', 'segment.bytes': '2048'})
      expect(session.fake.requestsOf(ApiKey.AlterConfigs)).to.have.length(1)
    })

    it('applies operations to overrides as Kafka does, list items once', () => {
      const ops = [{name: 'a', op: 'append' as const, value: 'x'}, {name: 'a', op: 'append' as const, value: 'x'}, {name: 'b', op: 'delete' as const},
        {name: 'c', op: 'subtract' as const, value: 'y'}, {name: 'd', op: 'set' as const, value: '5'}]
      expect(applyOperations({b: '1', c: 'y,z,y'}, ops)).to.deep.equal({c: 'z', a: 'x', d: '5'})
    })
  })

  describe('createPartitions', () => {
    it('grows a topic on the controller; a smaller count is INVALID_PARTITIONS with the broker\'s words', async () => {
      await start()
      session.fake.createTopic('t', 2)
      const admin = session.client.admin()
      expect(await admin.createPartitions([{topic: 't', count: 5}], {validateOnly: true})).to.deep.equal([{name: 't', errorCode: 0, errorMessage: null}])
      expect(session.fake.topics.get('t')!.partitions).to.have.length(2)
      expect(await admin.createPartitions([{topic: 't', count: 5}])).to.deep.equal([{name: 't', errorCode: 0, errorMessage: null}])
      expect(session.fake.topics.get('t')!.partitions).to.have.length(5)
      const [smaller] = await admin.createPartitions([{topic: 't', count: 3}])
      expect(smaller).to.deep.equal({name: 't', errorCode: ErrorCode.INVALID_PARTITIONS,
        errorMessage: 'Topic currently has 5 partitions, which is higher than the requested 3.'})
    })
  })

  describe('deleteRecords', () => {
    it('moves each partition\'s log start at its leader, -1 meaning the high watermark; past the end is per partition', async () => {
      await start({transport: 'tcp', nodes: 2})
      session.fake.createTopic('t', 3)
      for (const partition of [0, 1, 2]) {
        const records = [1, 2, 3].map(() => ({key: null, value: Buffer.from('v'), headers: [], timestamp: 0}))
        session.fake.partition('t', partition).append(await encodeRecordBatch(records, {compression: 'none'}))
      }
      const results = await session.client.admin().deleteRecords('t', new Map([[2, 9], [0, 2], [1, -1]]))
      expect(results).to.deep.equal([
        {partition: 0, errorCode: 0, lowWatermark: 2},
        {partition: 1, errorCode: 0, lowWatermark: 3},
        {partition: 2, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1},
      ])
      expect(session.fake.requestsOf(ApiKey.DeleteRecords).map((r) => r.node).sort()).to.deep.equal([1, 2])
      expect(session.fake.partition('t', 0).logStartOffset).to.equal(2)
    })

    it('retries a partition whose leader moved', async () => {
      await start()
      session.fake.createTopic('t', 1)
      let answered = 0
      session.fake.intercept(ApiKey.DeleteRecords, (request, _context, next) => {
        if (answered++ > 0) return next()
        const topics = request.topics.map((t) => ({name: t.name, partitions: t.partitions.map((p) =>
          ({partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER}))}))
        return {throttleTimeMs: 0, topics}
      })
      expect(await session.client.admin().deleteRecords('t', new Map([[0, 0]]))).to.deep.equal([{partition: 0, errorCode: 0, lowWatermark: 0}])
      expect(answered).to.equal(2)
    })
  })
})
