import {expect} from 'chai'
import {ConnectionError} from '../../src/broker/broker.js'
import {advertisedRanges} from '../../src/broker/registry.js'
import {ApiKey, type ApiKeyValue} from '../../src/protocol/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('Broker with hostile requests', function () {
  this.timeout(60_000)
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open({autoCreateTopics: false})
    await h.createTopic('t', 2)
  })
  afterEach(() => h.close())

  async function sampleBodies(): Promise<Map<ApiKeyValue, object>> {
    const batch = await batchOf(['a', 'b'])
    return new Map<ApiKeyValue, object>([
      [ApiKey.Produce, produceBody('t', 1, batch)],
      [ApiKey.Fetch, {maxWaitMs: 0, minBytes: 1, maxBytes: 1000, sessionEpoch: -1,
        topics: [{topic: 't', topicId: h.logs.topic('t')?.topicId, partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 100}]}]}],
      [ApiKey.ListOffsets, {replicaId: -1, topics: [{name: 't', partitions: [{partitionIndex: 0, timestamp: -1}]}]}],
      [ApiKey.Metadata, {topics: [{name: 't'}]}],
      [ApiKey.ApiVersions, {clientSoftwareName: 'x', clientSoftwareVersion: '1'}],
      [ApiKey.CreateTopics, {topics: [{name: 'n', numPartitions: 1, replicationFactor: 1, assignments: [], configs: []}], timeoutMs: 1}],
      [ApiKey.DeleteTopics, {topicNames: ['zz'], topics: [{name: 'zz'}], timeoutMs: 1}],
      [ApiKey.DeleteRecords, {topics: [{name: 't', partitions: [{partitionIndex: 0, offset: 0}]}], timeoutMs: 1}],
      [ApiKey.DescribeConfigs, {resources: [{resourceType: 2, resourceName: 't', configurationKeys: ['retention.ms']}], includeSynonyms: true}],
      [ApiKey.AlterConfigs, {resources: [{resourceType: 2, resourceName: 't', configs: [{name: 'retention.ms', value: '1'}]}], validateOnly: true}],
      [ApiKey.CreatePartitions, {topics: [{name: 't', count: 3, assignments: null}], timeoutMs: 1, validateOnly: true}],
      [ApiKey.IncrementalAlterConfigs, {resources: [{resourceType: 2, resourceName: 't',
        configs: [{name: 'cleanup.policy', configOperation: 2, value: 'compact'}]}], validateOnly: true}],
      [ApiKey.OffsetCommit, {groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: 1000,
        topics: [{name: 't', partitions: [{partitionIndex: 0, committedOffset: 1, commitTimestamp: 5, committedMetadata: 'm'}]}]}],
      [ApiKey.OffsetFetch, {groupId: 'g', topics: [{name: 't', partitionIndexes: [0]}], groups: [{groupId: 'g', topics: null}]}],
      [ApiKey.OffsetForLeaderEpoch, {topics: [{topic: 't', partitions: [{partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0}]}]}],
      [ApiKey.OffsetDelete, {groupId: 'g', topics: [{name: 't', partitions: [{partitionIndex: 0}]}]}],
      [ApiKey.FindCoordinator, {key: 'g', keyType: 0, coordinatorKeys: ['g']}],
      [ApiKey.JoinGroup, {groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null,
        protocolType: 'consumer', protocols: [{name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 116])}], reason: null}],
      [ApiKey.Heartbeat, {groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null}],
      [ApiKey.LeaveGroup, {groupId: 'g', memberId: 'm', members: [{memberId: 'm', groupInstanceId: null, reason: null}]}],
      [ApiKey.SyncGroup, {groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocolName: 'range',
        assignments: [{memberId: 'm', assignment: Buffer.from([0, 0])}]}],
      [ApiKey.DescribeGroups, {groups: ['g'], includeAuthorizedOperations: true}],
      [ApiKey.ListGroups, {statesFilter: ['Stable'], typesFilter: ['classic']}],
      [ApiKey.DeleteGroups, {groupsNames: ['g']}],
      [ApiKey.InitProducerId, {transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1}],
      [ApiKey.AddPartitionsToTxn, {v3AndBelowTransactionalId: 'tx', v3AndBelowProducerId: 0, v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [{name: 't', partitions: [0]}], transactions: [{transactionalId: 'tx', producerId: 0, producerEpoch: 0,
          verifyOnly: false, topics: [{name: 't', partitions: [0, 1]}]}]}],
      [ApiKey.AddOffsetsToTxn, {transactionalId: 'tx', producerId: 0, producerEpoch: 0, groupId: 'g'}],
      [ApiKey.EndTxn, {transactionalId: 'tx', producerId: 0, producerEpoch: 0, committed: true}],
      [ApiKey.TxnOffsetCommit, {transactionalId: 'tx', groupId: 'g', producerId: 0, producerEpoch: 0, generationId: -1, memberId: '',
        groupInstanceId: null, topics: [{name: 't', partitions: [{partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, committedMetadata: 'm'}]}]}],
      [ApiKey.DescribeProducers, {topics: [{name: 't', partitionIndexes: [0, 1]}]}],
      [ApiKey.DescribeTransactions, {transactionalIds: ['tx', 'other']}],
      [ApiKey.ListTransactions, {stateFilters: ['Ongoing'], producerIdFilters: [0], durationFilter: -1}],
    ])
  }

  /** The frame with 1-3 body bytes replaced, and every other time also cut short. */
  function mutate(frame: Buffer, round: number, next: () => number): Buffer {
    const headerBytes = 8
    const length = round % 2 === 0 ? frame.length : headerBytes + Math.floor(next() * (frame.length - headerBytes))
    const mutated = Buffer.from(frame.subarray(0, length))
    for (let flips = 1 + Math.floor(next() * 3); flips > 0 && mutated.length > headerBytes; flips--) {
      mutated[headerBytes + Math.floor(next() * (mutated.length - headerBytes))] = Math.floor(next() * 256)
    }
    return mutated
  }

  it('answers or closes the connection for mutated frames of every API version, never failing inside', async () => {
    const next = random(42)
    const bodies = await sampleBodies()
    // A closing broker answers fetches at once: a mutated MaxWaitMs must not stall the test.
    h.broker.close()
    const outcomes = {answered: 0, closed: 0}
    for (const range of advertisedRanges()) {
      for (let version = range.minVersion; version <= range.maxVersion; version++) {
        const frame = h.frame(range.apiKey as ApiKeyValue, version, bodies.get(range.apiKey as ApiKeyValue) as object)
        for (let round = 0; round < 40; round++) {
          const outcome = await h.broker.handle(mutate(frame, round, next)).then(() => 'answered', (e: unknown) => e)
          if (outcome === 'answered') {
            outcomes.answered++
          } else {
            expect(outcome, `key ${range.apiKey} v${version}`).to.be.instanceOf(ConnectionError)
            outcomes.closed++
          }
        }
      }
    }
    expect(h.lines.filter(line => / failed: /.test(line)).map(l => l.split("\n")[0])).to.deep.equal([])
    // Both paths were exercised: mutated requests that still parse reach the handlers.
    expect(outcomes.answered).to.be.greaterThan(outcomes.closed / 10)
  })

  it('keeps the group coordinator sound under mutated group requests while it is open, and answers every held one on close', async () => {
    const next = random(7)
    const bodies = await sampleBodies()
    const groupApis = new Set<number>([ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.FindCoordinator, ApiKey.JoinGroup, ApiKey.Heartbeat,
      ApiKey.LeaveGroup, ApiKey.SyncGroup, ApiKey.DescribeGroups, ApiKey.ListGroups, ApiKey.DeleteGroups, ApiKey.OffsetDelete])
    // Held JoinGroups and SyncGroups are not awaited here: close() must answer each of them.
    const held: Promise<unknown>[] = []
    for (const range of advertisedRanges().filter(r => groupApis.has(r.apiKey))) {
      for (let version = range.minVersion; version <= range.maxVersion; version++) {
        const frame = h.frame(range.apiKey as ApiKeyValue, version, bodies.get(range.apiKey as ApiKeyValue) as object)
        for (let round = 0; round < 40; round++) {
          held.push(h.broker.handle(mutate(frame, round, next)).then(() => 'answered', (e: unknown) => {
            expect(e, `key ${range.apiKey} v${version}`).to.be.instanceOf(ConnectionError)
            return 'closed'
          }))
        }
      }
    }
    h.broker.close()
    const outcomes = await Promise.all(held)
    expect(h.lines.filter(line => / failed: /.test(line)).map(l => l.split("\n")[0])).to.deep.equal([])
    expect(outcomes.filter(o => o === 'answered').length).to.be.greaterThan(outcomes.length / 10)
  })
})
