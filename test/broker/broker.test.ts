import {expect} from 'chai'
import {ConnectionError} from '../../src/broker/broker.js'
import {advertisedRanges} from '../../src/broker/registry.js'
import {ApiKey, decodeResponse, encodeRequest, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

describe('Broker dispatch and ApiVersions', () => {
  let h: BrokerHarness
  beforeEach(async () => { h = await BrokerHarness.open() })
  afterEach(() => h.close())

  it('advertises the ranges real clients need, computed from the handlers', () => {
    const ranges = Object.fromEntries(advertisedRanges().map(r => [r.apiKey, [r.minVersion, r.maxVersion]]))
    expect(ranges).to.deep.equal({
      [ApiKey.Produce]: [0, 11], [ApiKey.Fetch]: [4, 17], [ApiKey.ListOffsets]: [0, 10], [ApiKey.Metadata]: [0, 12],
      [ApiKey.ApiVersions]: [0, 4], [ApiKey.CreateTopics]: [2, 7], [ApiKey.DeleteTopics]: [1, 6],
      [ApiKey.DeleteRecords]: [0, 2], [ApiKey.DescribeConfigs]: [0, 4], [ApiKey.AlterConfigs]: [0, 2],
      [ApiKey.CreatePartitions]: [0, 3], [ApiKey.IncrementalAlterConfigs]: [0, 1],
      [ApiKey.OffsetCommit]: [0, 9], [ApiKey.OffsetFetch]: [0, 9], [ApiKey.FindCoordinator]: [0, 6], [ApiKey.JoinGroup]: [0, 9],
      [ApiKey.Heartbeat]: [0, 4], [ApiKey.LeaveGroup]: [0, 5], [ApiKey.SyncGroup]: [0, 5], [ApiKey.DescribeGroups]: [0, 5],
      [ApiKey.ListGroups]: [0, 5], [ApiKey.OffsetForLeaderEpoch]: [0, 4], [ApiKey.DeleteGroups]: [0, 2], [ApiKey.OffsetDelete]: [0, 0],
      [ApiKey.InitProducerId]: [0, 5], [ApiKey.AddPartitionsToTxn]: [0, 5], [ApiKey.AddOffsetsToTxn]: [0, 4], [ApiKey.EndTxn]: [0, 4],
      [ApiKey.TxnOffsetCommit]: [0, 4], [ApiKey.DescribeProducers]: [0, 0], [ApiKey.DescribeTransactions]: [0, 0],
      [ApiKey.ListTransactions]: [0, 1],
    })
  })

  for (const version of [0, 1, 2, 3, 4]) {
    it(`answers ApiVersions v${version} with every served key`, async () => {
      const response = await h.call(ApiKey.ApiVersions, version, {clientSoftwareName: 'test', clientSoftwareVersion: '1.0'})
      expect(response.errorCode).to.equal(0)
      expect(response.apiKeys.map(k => k.apiKey)).to.deep.equal(advertisedRanges().map(r => r.apiKey))
    })
  }

  it('answers an ApiVersions version it does not know with a v0 body, error 35 and its own range', async () => {
    // A client newer than us sends v5: the header is readable, the body must not be parsed.
    const frame = encodeRequest({apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 77, clientId: 'future'},
      {clientSoftwareName: 'x', clientSoftwareVersion: 'y'}).subarray(4)
    frame.writeInt16BE(5, 2)
    const response = await h.broker.handle(Buffer.concat([frame, Buffer.from([0xff, 0xff, 0xff])]))
    const decoded = decodeResponse(ApiKey.ApiVersions, 0, (response as Buffer).subarray(4))
    expect(decoded.correlationId).to.equal(77)
    expect(decoded.body.errorCode).to.equal(ErrorCode.UNSUPPORTED_VERSION)
    expect(decoded.body.apiKeys).to.deep.equal([{apiKey: 18, minVersion: 0, maxVersion: 4}])
  })

  it('closes the connection for an unknown API key', async () => {
    const frame = h.frame(ApiKey.Metadata, 1, {topics: null})
    frame.writeInt16BE(68, 0)
    await expectConnectionError(h.broker.handle(frame), /api key 68/)
  })

  it('closes the connection for a version outside the advertised range', async () => {
    const frame = h.frame(ApiKey.Fetch, 3, {topics: []})
    await expectConnectionError(h.broker.handle(frame), /api key 1 version 3/)
  })

  it('closes the connection for a body that does not decode', async () => {
    const frame = h.frame(ApiKey.Metadata, 1, {topics: []})
    await expectConnectionError(h.broker.handle(frame.subarray(0, frame.length - 2)), /malformed Metadata v1/)
  })

  it('closes the connection for a header that does not decode', async () => {
    await expectConnectionError(h.broker.handle(Buffer.from([0, 3, 0])), /malformed request header/)
  })

  it('keeps serving after a bad frame', async () => {
    await h.broker.handle(Buffer.from([1])).catch(() => undefined)
    const response = await h.call(ApiKey.ApiVersions, 0, {})
    expect(response.errorCode).to.equal(0)
  })
})

async function expectConnectionError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(ConnectionError)
    expect((error as Error).message).to.match(message)
    return
  }
  expect.fail('expected a ConnectionError')
}
