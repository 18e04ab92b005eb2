import {expect} from 'chai'
import {ApiKey, ErrorCode, consumerOffsetsPartition} from '../../src/protocol/index.js'
import {type NameLocks} from '../../src/storage/index.js'
import {waitFor} from '../storage/wait-for.js'
import {batchesOf, TxnBroker} from './txn-harness.js'

const TX = 'tx-offsets'
const GROUP = 'billing'

describe('TxnOffsetCommit, AddOffsetsToTxn and OffsetFetch RequireStable', () => {
  let h: TxnBroker
  let producerId: number
  let producerEpoch: number
  beforeEach(async () => {
    h = await TxnBroker.open()
    await h.createTopic('in', 2)
    ;({producerId, producerEpoch} = await h.call(ApiKey.InitProducerId, 4, {transactionalId: TX, transactionTimeoutMs: 60_000,
      producerId: -1, producerEpoch: -1}))
  })
  afterEach(() => h.close())

  const addOffsets = async (version = 3, fields: object = {}) =>
    (await h.call(ApiKey.AddOffsetsToTxn, version, {transactionalId: TX, producerId, producerEpoch, groupId: GROUP, ...fields})).errorCode
  const commit = async (offsets: [number, number][], fields: object = {}, version = 3) => {
    const response = await h.call(ApiKey.TxnOffsetCommit, version, {transactionalId: TX, groupId: GROUP, producerId, producerEpoch,
      generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{name: 'in', partitions: offsets.map(([partitionIndex, committedOffset]) => ({partitionIndex, committedOffset,
        committedLeaderEpoch: -1, committedMetadata: 'm'}))}], ...fields})
    return response.topics.flatMap(t => t.partitions.map(p => `${t.name}-${p.partitionIndex}:${p.errorCode}`))
  }
  const end = async (committed: boolean) => (await h.call(ApiKey.EndTxn, 3, {transactionalId: TX, producerId, producerEpoch, committed})).errorCode
  const fetch = async (requireStable: boolean) => (await h.call(ApiKey.OffsetFetch, 7, {groupId: GROUP, requireStable,
    topics: [{name: 'in', partitionIndexes: [0, 1]}]})).topics[0].partitions.map(p => `${p.partitionIndex}:${p.committedOffset}:${p.errorCode}`)
  const plainCommit = (partition: number, offset: number) => h.call(ApiKey.OffsetCommit, 8, {groupId: GROUP, generationIdOrMemberEpoch: -1,
    memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [{name: 'in', partitions: [{partitionIndex: partition,
      committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: ''}]}]})
  const offsetsPartition = () => consumerOffsetsPartition(GROUP, 3)

  it('adds the group\'s __consumer_offsets partition, keeps the offsets pending (88 with RequireStable), applies them on COMMIT', async () => {
    expect(await addOffsets()).to.equal(0)
    const described = (await h.call(ApiKey.DescribeTransactions, 0, {transactionalIds: [TX]})).transactionStates[0]
    expect(described.topics).to.deep.equal([{topic: '__consumer_offsets', partitions: [offsetsPartition()]}])
    expect(await commit([[0, 10], [1, 20]])).to.deep.equal(['in-0:0', 'in-1:0'])
    expect(batchesOf(h.logs, '__consumer_offsets', offsetsPartition())).to.deep.equal([`txn ${producerId}/0`])
    expect(await fetch(false)).to.deep.equal(['0:-1:0', '1:-1:0'])
    expect(await fetch(true)).to.deep.equal([`0:-1:${ErrorCode.UNSTABLE_OFFSET_COMMIT}`, `1:-1:${ErrorCode.UNSTABLE_OFFSET_COMMIT}`])
    expect(await end(true)).to.equal(0)
    expect(batchesOf(h.logs, '__consumer_offsets', offsetsPartition())).to.deep.equal([`txn ${producerId}/0`, `COMMIT ${producerId}/0`])
    expect(await fetch(true)).to.deep.equal(['0:10:0', '1:20:0'])
  })

  it('drops the pending offsets on ABORT, keeping the offsets committed before', async () => {
    await plainCommit(0, 5)
    await addOffsets()
    expect(await commit([[0, 10]])).to.deep.equal(['in-0:0'])
    expect(await end(false)).to.equal(0)
    expect(await fetch(true)).to.deep.equal(['0:5:0', '1:-1:0'])
  })

  it('lets a plain commit written after the transactional one win, as Kafka does', async () => {
    await addOffsets()
    await commit([[0, 10], [1, 20]])
    await plainCommit(1, 99)
    await end(true)
    expect(await fetch(true)).to.deep.equal(['0:10:0', '1:99:0'])
  })

  it('numbers a second TxnOffsetCommit of the transaction on, and a next transaction after a new epoch', async () => {
    await addOffsets()
    expect(await commit([[0, 1]])).to.deep.equal(['in-0:0'])
    expect(await commit([[0, 2]])).to.deep.equal(['in-0:0'])
    await end(true)
    expect(await fetch(false)).to.deep.equal(['0:2:0', '1:-1:0'])
    ;({producerId, producerEpoch} = await h.call(ApiKey.InitProducerId, 4, {transactionalId: TX, transactionTimeoutMs: 60_000,
      producerId: -1, producerEpoch: -1}))
    await addOffsets()
    expect(await commit([[0, 3]])).to.deep.equal(['in-0:0'])
    await end(true)
    expect(await fetch(false)).to.deep.equal(['0:3:0', '1:-1:0'])
  })

  it('refuses offsets of a transaction the group was not added to (48), of a stale epoch (47), an unknown partition (3), an empty group (24)', async () => {
    expect(await commit([[0, 1]])).to.deep.equal([`in-0:${ErrorCode.INVALID_TXN_STATE}`])
    await addOffsets()
    expect(await commit([[0, 1]], {producerEpoch: producerEpoch - 1})).to.deep.equal([`in-0:${ErrorCode.INVALID_PRODUCER_EPOCH}`])
    expect(await commit([[0, 1]], {producerId: producerId + 7})).to.deep.equal([`in-0:${ErrorCode.INVALID_PRODUCER_ID_MAPPING}`])
    expect(await commit([[0, 1], [5, 1]])).to.deep.equal(['in-0:0', `in-5:${ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}`])
    expect(await commit([[0, 1]], {groupId: ''})).to.deep.equal([`in-0:${ErrorCode.INVALID_GROUP_ID}`])
    expect(await addOffsets(3, {groupId: ''})).to.equal(ErrorCode.INVALID_GROUP_ID)
    expect(await addOffsets(1, {producerEpoch: producerEpoch + 1})).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect(await addOffsets(2, {producerEpoch: producerEpoch + 1})).to.equal(ErrorCode.PRODUCER_FENCED)
  })

  it('checks the transaction again in the write\'s turn: offsets whose transaction began to end while they waited are refused and not written', async () => {
    await addOffsets()
    // Hold the __consumer_offsets writer's turn, so the TxnOffsetCommit waits there after its first check.
    const turns = (h.ctx.offsets as unknown as {writer: {turns: NameLocks}}).writer.turns
    let release = (): void => undefined
    const held = turns.run('__consumer_offsets', () => new Promise<void>(resolve => (release = resolve)))
    const committing = commit([[0, 10]])
    await new Promise(resolve => setImmediate(resolve))
    // Meanwhile the transaction times out: aborted at a new epoch; its marker queues behind the commit.
    const aborting = h.ctx.transactions.abortTimedOut(Date.now() + 1_000_000_000)
    await waitFor(() => h.ctx.transactions.transactions().get(TX)?.state.status === 'PrepareAbort', 'the abort under way')
    release()
    await held
    expect(await committing).to.deep.equal([`in-0:${ErrorCode.INVALID_PRODUCER_EPOCH}`])
    expect(await aborting).to.equal(1)
    expect(batchesOf(h.logs, '__consumer_offsets', offsetsPartition())).to.deep.equal([`ABORT ${producerId}/${producerEpoch + 1}`])
    expect(await fetch(true)).to.deep.equal(['0:-1:0', '1:-1:0'])
  })

  it('checks a named generation against the group (v3): a generation of a group that has none -> 22; v0 names none', async () => {
    await addOffsets()
    expect(await commit([[0, 1]], {generationId: 3, memberId: 'ghost'})).to.deep.equal([`in-0:${ErrorCode.ILLEGAL_GENERATION}`])
    expect(await commit([[0, 1]], {}, 0)).to.deep.equal(['in-0:0'])
  })

  it('replays pending and committed transactional offsets after a restart: an open transaction stays pending, then commits', async () => {
    await addOffsets()
    await commit([[0, 10]])
    await end(true)
    await addOffsets()
    await commit([[0, 11], [1, 21]])
    await h.restart()
    expect(await fetch(true)).to.deep.equal([`0:-1:${ErrorCode.UNSTABLE_OFFSET_COMMIT}`, `1:-1:${ErrorCode.UNSTABLE_OFFSET_COMMIT}`])
    expect(await fetch(false)).to.deep.equal(['0:10:0', '1:-1:0'])
    expect((await h.call(ApiKey.DescribeTransactions, 0, {transactionalIds: [TX]})).transactionStates[0].transactionState).to.equal('Ongoing')
    expect(await end(true)).to.equal(0)
    expect(await fetch(true)).to.deep.equal(['0:11:0', '1:21:0'])
    await h.restart()
    expect(await fetch(true)).to.deep.equal(['0:11:0', '1:21:0'])
  })
})
