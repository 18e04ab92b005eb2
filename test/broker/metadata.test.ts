import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

describe('Metadata handler', () => {
  let h: BrokerHarness
  afterEach(() => h.close())

  describe('with auto-creation on', () => {
    beforeEach(async () => {
      h = await BrokerHarness.open({autoCreateTopics: true, defaultPartitions: 3})
      await h.createTopic('alpha', 2)
      await h.createTopic('beta', 1)
    })

    it('v0: an empty list means every topic, with this broker leading every partition', async () => {
      const response = await h.call(ApiKey.Metadata, 0, {topics: []})
      expect(response.brokers).to.deep.equal([{nodeId: 1, host: '127.0.0.1', port: 19092, rack: null}])
      expect(response.topics.map(t => t.name)).to.deep.equal(['alpha', 'beta'])
      expect(response.topics[0].partitions).to.deep.equal([0, 1].map(partitionIndex => ({errorCode: 0, partitionIndex,
        leaderId: 1, leaderEpoch: -1, replicaNodes: [1], isrNodes: [1], offlineReplicas: []})))
    })

    it('v1: null means every topic, an empty list none; the controller is this broker', async () => {
      expect((await h.call(ApiKey.Metadata, 1, {topics: null})).topics).to.have.length(2)
      const none = await h.call(ApiKey.Metadata, 1, {topics: []})
      expect(none.topics).to.deep.equal([])
      expect(none.controllerId).to.equal(1)
    })

    it('v1 (kafka-python 2.0.2) auto-creates an unknown topic with the default partition count', async () => {
      const response = await h.call(ApiKey.Metadata, 1, {topics: [{name: 'gamma'}]})
      expect(response.topics[0]).to.include({errorCode: 0, name: 'gamma', isInternal: false})
      expect(response.topics[0].partitions).to.have.length(3)
      expect(h.logs.topic('gamma')?.partitions).to.equal(3)
    })

    it('answers concurrent auto-creations of one topic with 0 or 5 (retriable), never -1, and logs no stack', async () => {
      const responses = await Promise.all([1, 2, 3].map(() => h.call(ApiKey.Metadata, 9, {topics: [{name: 'racing'}],
        allowAutoTopicCreation: true})))
      const codes = responses.map(r => r.topics[0].errorCode)
      expect(codes).to.include(0)
      for (const code of codes) expect([0, ErrorCode.LEADER_NOT_AVAILABLE]).to.include(code)
      expect(h.lines.join('\n')).to.not.match(/failed/)
      const after = await h.call(ApiKey.Metadata, 9, {topics: [{name: 'racing'}], allowAutoTopicCreation: true})
      expect(after.topics[0].errorCode).to.equal(0)
    })

    it('v9 reports the cluster id and leader epoch 0, and honours AllowAutoTopicCreation=false', async () => {
      const response = await h.call(ApiKey.Metadata, 9, {topics: [{name: 'alpha'}, {name: 'nope'}], allowAutoTopicCreation: false})
      expect(response.clusterId).to.equal('TestClusterIdAAAAAAAAA')
      expect(response.topics.map(t => [t.name, t.errorCode])).to.deep.equal([['alpha', 0], ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]])
      expect(response.topics[0].partitions[0].leaderEpoch).to.equal(0)
      expect(h.logs.topic('nope')).to.equal(undefined)
    })

    it('answers an auto-created illegal name with 17', async () => {
      const response = await h.call(ApiKey.Metadata, 4, {topics: [{name: 'bad name'}], allowAutoTopicCreation: true})
      expect(response.topics[0].errorCode).to.equal(ErrorCode.INVALID_TOPIC_EXCEPTION)
    })

    it('v12 carries topic ids and finds a topic by id alone; an unknown id is 100', async () => {
      const alpha = h.logs.topic('alpha')
      const unknownId = 'AAAAAAAAAAAAAAAAAAAAAQ'
      const response = await h.call(ApiKey.Metadata, 12, {topics: [{topicId: alpha?.topicId, name: null}, {topicId: unknownId, name: null}]})
      expect(response.topics[0]).to.include({name: 'alpha', topicId: alpha?.topicId, errorCode: 0})
      expect(response.topics[1]).to.include({name: null, topicId: unknownId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID})
    })

    it('answers a repeated topic once', async () => {
      const response = await h.call(ApiKey.Metadata, 1, {topics: [{name: 'alpha'}, {name: 'alpha'}]})
      expect(response.topics).to.have.length(1)
    })

    it('reports authorized operations only when asked', async () => {
      const asked = await h.call(ApiKey.Metadata, 10, {topics: null, includeTopicAuthorizedOperations: true, includeClusterAuthorizedOperations: true})
      expect(asked.topics[0].topicAuthorizedOperations).to.be.greaterThan(0)
      expect(asked.clusterAuthorizedOperations).to.be.greaterThan(0)
      const notAsked = await h.call(ApiKey.Metadata, 10, {topics: null})
      expect(notAsked.topics[0].topicAuthorizedOperations).to.equal(-2147483648)
    })
  })

  describe('with auto-creation off', () => {
    beforeEach(async () => { h = await BrokerHarness.open({autoCreateTopics: false}) })

    it('answers an unknown topic with 3 and creates nothing, even for v1', async () => {
      const response = await h.call(ApiKey.Metadata, 1, {topics: [{name: 'gamma'}]})
      expect(response.topics[0].errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect(h.logs.topic('gamma')).to.equal(undefined)
    })
  })

  describe('with TCP off', () => {
    beforeEach(async () => { h = await BrokerHarness.open({advertised: null}) })

    it('advertises 127.0.0.1 port 0, an address no client can connect to', async () => {
      const response = await h.call(ApiKey.Metadata, 1, {topics: []})
      expect(response.brokers).to.deep.equal([{nodeId: 1, host: '127.0.0.1', port: 0, rack: null}])
    })
  })
})
