// Transaction administration against a three-broker fake cluster (admin-transactions-fake.ts): listing
// from every broker, describing at each id's transaction coordinator (FindCoordinator key type 1, moved
// coordinators followed), and describing producers at each partition's leader.
import {expect} from 'chai'
import {KafkaClient} from '../../src/client/index.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {fakeTransactions, type FakeTransactions} from './admin-transactions-fake.js'
import {FakeCluster} from './fake-cluster.js'
import {fakeGroups, type FakeGroups} from './fake-group-admin-apis.js'

describe('Admin transactions', () => {
  let fake: FakeCluster
  let client: KafkaClient
  let groups: FakeGroups
  let transactions: FakeTransactions

  beforeEach(async () => {
    fake = await FakeCluster.start({transport: 'tcp', nodes: 3})
    client = await KafkaClient.connect(fake.clientOptions)
    groups = fakeGroups(fake)
    transactions = fakeTransactions(fake, groups)
    for (const [id, node] of [['orders-tx', 1], ['billing-tx', 2], ['audit-tx', 3], ['zz-tx', 2]] as const) groups.moveCoordinator(id, node)
    transactions.add({transactionalId: 'orders-tx', producerId: 7, producerEpoch: 3, state: 'Ongoing', timeoutMs: 60_000, startTimeMs: 1_700_000_000_000,
      partitions: [{topic: 'orders', partition: 1}, {topic: 'audit', partition: 0}, {topic: 'orders', partition: 0}]})
    transactions.add({transactionalId: 'billing-tx', producerId: 8, state: 'CompleteCommit'})
    transactions.add({transactionalId: 'audit-tx', producerId: 9, state: 'Empty'})
    transactions.add({transactionalId: 'zz-tx', producerId: 10, state: 'Ongoing'})
  })
  afterEach(async () => {
    await client.close()
    await fake.stop()
  })

  it('lists the transactional ids of every broker, sorted, with their coordinator', async () => {
    const listed = await client.admin().listTransactions()
    expect(listed).to.deep.equal([
      {transactionalId: 'audit-tx', coordinatorId: 3, producerId: 9, state: 'Empty'},
      {transactionalId: 'billing-tx', coordinatorId: 2, producerId: 8, state: 'CompleteCommit'},
      {transactionalId: 'orders-tx', coordinatorId: 1, producerId: 7, state: 'Ongoing'},
      {transactionalId: 'zz-tx', coordinatorId: 2, producerId: 10, state: 'Ongoing'},
    ])
    expect(new Set(fake.requestsOf(ApiKey.ListTransactions).map((r) => r.node))).to.deep.equal(new Set([1, 2, 3]))
  })

  it('passes state and producer filters to the brokers', async () => {
    const ongoing = await client.admin().listTransactions({states: ['Ongoing'], producerIds: [10]})
    expect(ongoing.map((t) => t.transactionalId)).to.deep.equal(['zz-tx'])
    const request = fake.requestsOf(ApiKey.ListTransactions)[0]!
    expect(request.body.stateFilters).to.deep.equal(['Ongoing'])
    expect(request.body.producerIdFilters).to.deep.equal([10])
  })

  it('asks a loading broker again, and reports an error that persists', async () => {
    transactions.failListing(2, [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS])
    expect((await client.admin().listTransactions()).length).to.equal(4)
    transactions.failListing(3, [ErrorCode.CLUSTER_AUTHORIZATION_FAILED])
    let failure: unknown
    try {
      await client.admin().listTransactions()
    } catch (error) {
      failure = error
    }
    expect(failure).to.be.instanceOf(KafkaProtocolError)
    expect((failure as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.CLUSTER_AUTHORIZATION_FAILED)
  })

  it('describes ids at their transaction coordinator, with the open transaction\'s partitions sorted', async () => {
    const [orders, missing] = await client.admin().describeTransactions(['orders-tx', 'nobody'])
    expect(orders).to.deep.equal({
      transactionalId: 'orders-tx', coordinatorId: 1, errorCode: 0, state: 'Ongoing', producerId: 7, producerEpoch: 3,
      transactionTimeoutMs: 60_000, transactionStartTimeMs: 1_700_000_000_000,
      partitions: [{topic: 'audit', partition: 0}, {topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}],
    })
    expect(missing!.errorCode).to.equal(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND)
    expect(fake.requestsOf(ApiKey.FindCoordinator).every((r) => r.body.keyType === 1)).to.equal(true)
    expect(fake.requestsOf(ApiKey.DescribeTransactions).find((r) => r.body.transactionalIds.includes('orders-tx'))!.node).to.equal(1)
  })

  it('follows a coordinator that moved (NOT_COORDINATOR)', async () => {
    const admin = client.admin()
    expect((await admin.describeTransactions(['billing-tx']))[0]!.coordinatorId).to.equal(2)
    groups.moveCoordinator('billing-tx', 3)
    const [moved] = await admin.describeTransactions(['billing-tx'])
    expect(moved!.coordinatorId).to.equal(3)
    expect(moved!.state).to.equal('CompleteCommit')
  })

  it('describes the producers of partitions at their leaders, in partition order', async () => {
    fake.createTopic('orders', 3)
    const producer = {producerId: 7, producerEpoch: 3, lastSequence: 41, lastTimestamp: 1_700_000_000_500, coordinatorEpoch: 2, currentTxnStartOffset: 120}
    transactions.setProducers('orders', 2, [{...producer, producerId: 12, currentTxnStartOffset: -1}, producer])
    const described = await client.admin().describeProducers('orders', [2, 0])
    expect(described).to.deep.equal([
      {topic: 'orders', partition: 0, errorCode: 0, errorMessage: null, activeProducers: []},
      {topic: 'orders', partition: 2, errorCode: 0, errorMessage: null, activeProducers: [
        {producerId: 7, producerEpoch: 3, lastSequence: 41, lastTimestamp: 1_700_000_000_500, coordinatorEpoch: 2, currentTransactionStartOffset: 120},
        {producerId: 12, producerEpoch: 3, lastSequence: 41, lastTimestamp: 1_700_000_000_500, coordinatorEpoch: 2, currentTransactionStartOffset: -1},
      ]},
    ])
    expect(fake.requestsOf(ApiKey.DescribeProducers).map((r) => r.node).sort()).to.deep.equal([1, 3])
  })

  it('refuses a partition the topic does not have', async () => {
    fake.createTopic('orders', 1)
    let failure: unknown
    try {
      await client.admin().describeProducers('orders', [4])
    } catch (error) {
      failure = error
    }
    expect((failure as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(fake.requestsOf(ApiKey.DescribeProducers)).to.have.length(0)
  })
})
