import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

describe('DeleteTopics handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('a')
    await h.createTopic('b')
  })
  afterEach(() => h.close())

  it('v1 deletes by name; an unknown name is 3', async () => {
    const response = await h.call(ApiKey.DeleteTopics, 1, {topicNames: ['a', 'zzz'], timeoutMs: 1000})
    expect(response.responses.map(r => [r.name, r.errorCode])).to.deep.equal([['a', 0], ['zzz', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]])
    expect(h.logs.topic('a')).to.equal(undefined)
    expect(h.logs.topic('b')).to.not.equal(undefined)
  })

  it('v6 deletes by topic id; an unknown id is 100', async () => {
    const b = h.logs.topic('b')
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAQ'
    const response = await h.call(ApiKey.DeleteTopics, 6, {topics: [{name: null, topicId: b?.topicId}, {name: null, topicId: unknown}], timeoutMs: 1000})
    expect(response.responses[0]).to.include({name: 'b', topicId: b?.topicId, errorCode: 0})
    expect(response.responses[1]).to.include({topicId: unknown, errorCode: ErrorCode.UNKNOWN_TOPIC_ID})
    expect(h.logs.topic('b')).to.equal(undefined)
  })

  it('refuses a topic named twice with 42 and deletes nothing', async () => {
    const response = await h.call(ApiKey.DeleteTopics, 5, {topicNames: ['a', 'a'], timeoutMs: 1000})
    expect(response.responses.map(r => r.errorCode)).to.deep.equal([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
    expect(h.logs.topic('a')).to.not.equal(undefined)
  })
})
