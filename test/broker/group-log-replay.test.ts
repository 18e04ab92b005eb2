import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {OffsetStore} from '../../src/broker/groups/offset-store.js'
import {consumerOffsetsPartition, encodeGroupMetadataKey, encodeOffsetCommitKey, encodeOffsetCommitValue, encodeRecordBatch,
  stampBatchCrc, type GroupMetadataValue} from '../../src/protocol/index.js'
import {LogManager} from '../../src/storage/index.js'
import {storedRecords} from './offset-fixtures.js'

const settings = BrokerSettings.from({'offsets.topic.num.partitions': '2'}).groups
/** Bit 5 of a batch's attributes (at byte 21): a control batch. */
const CONTROL_ATTRIBUTE = 0x20
const ATTRIBUTES_AT = 21

const groupValue: GroupMetadataValue = {protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'm-1', currentStateTimestamp: 1234,
  members: [{memberId: 'm-1', groupInstanceId: 'i-1', clientId: 'c', clientHost: '/127.0.0.1', rebalanceTimeout: 300000,
    sessionTimeout: 45000, subscription: Buffer.from([0, 1]), assignment: Buffer.from([0, 2])}]}

const at = (offset: number, commitTimestamp = 100) => ({offset, leaderEpoch: 0, metadata: `at ${offset}`, commitTimestamp, expireTimestamp: -1})

describe('__consumer_offsets replay', () => {
  let dataDir: string
  let logs: LogManager
  let lines: string[]
  const open = async () => {
    logs = await LogManager.open(dataDir)
    const store = new OffsetStore({logs, settings, log: line => lines.push(line), now: () => 5000})
    return {store, groups: await store.load()}
  }
  const reopen = async () => {
    await logs.close()
    return open()
  }
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'weir-group-log-test-'))
    lines = []
  })
  afterEach(async () => {
    await logs.close()
    await rm(dataDir, {recursive: true, force: true})
  })

  it('loads nothing, and creates no topic, when __consumer_offsets does not exist', async () => {
    const {store, groups} = await open()
    expect(groups.size).to.equal(0)
    expect(store.groupIds()).to.deep.equal([])
    expect(logs.topic('__consumer_offsets')).to.equal(undefined)
  })

  it('brings back offsets and group metadata; the last record per key wins, tombstones delete', async () => {
    let {store} = await open()
    await store.commit('app', [{topic: 'a', partition: 0, committed: at(1)}, {topic: 'a', partition: 1, committed: at(2)}])
    await store.commit('app', [{topic: 'a', partition: 0, committed: at(3, 200)}])
    await store.commit('other', [{topic: 'b', partition: 0, committed: {...at(4), expireTimestamp: 9000}}])
    expect(store.committed('other', 'b', 0)?.leaderEpoch).to.equal(-1)
    await store.storeGroupMetadata('app', {...groupValue, generation: 3})
    await store.storeGroupMetadata('app', groupValue)
    await store.storeGroupMetadata('old', groupValue)
    await store.commit('old', [{topic: 'a', partition: 0, committed: at(5)}])
    await store.deleteOffsets('app', [{topic: 'a', partition: 1}, {topic: 'never', partition: 0}])
    await store.deleteGroup('old')
    expect(store.groupIds()).to.deep.equal(['app', 'other'])

    const reloaded = await reopen()
    store = reloaded.store
    expect(store.groupIds()).to.deep.equal(['app', 'other'])
    expect(store.committedOffsets('app')).to.deep.equal([{topic: 'a', partition: 0, committed: at(3, 200)}])
    // an expiring offset is stored in a v1 value, which has no leader epoch
    expect(store.committed('other', 'b', 0)).to.deep.equal({...at(4), leaderEpoch: -1, expireTimestamp: 9000})
    expect(store.hasOffsets('old')).to.equal(false)
    expect([...reloaded.groups.keys()]).to.deep.equal(['app'])
    expect(reloaded.groups.get('app')).to.deep.equal(groupValue)
    expect(lines.at(-1)).to.equal('loaded 2 committed offsets of 2 groups and the metadata of 1 groups from 11 records of __consumer_offsets')
  })

  it('writes each group to its own partition, tombstones as null values', async () => {
    const {store} = await open()
    await store.commit('app', [{topic: 'a', partition: 0, committed: at(1)}])
    await store.deleteGroup('app')
    const records = await storedRecords(logs, consumerOffsetsPartition('app', 2))
    expect(records.map(r => [r.key.type, r.value === null])).to.deep.equal([['offset-commit', false], ['group-metadata', true], ['offset-commit', true]])
    expect(await storedRecords(logs, 1 - consumerOffsetsPartition('app', 2))).to.deep.equal([])
  })

  it('reads compressed batches, skips control batches, other record types and records that do not decode', async () => {
    const {store} = await open()
    await store.commit('app', [{topic: 'a', partition: 0, committed: at(1)}])
    const partition = logs.partition('__consumer_offsets', consumerOffsetsPartition('app', 2))!
    const record = (key: Buffer, value: Buffer | null) => ({key, value, headers: [], timestamp: 1})
    partition.append(await encodeRecordBatch([
      record(encodeOffsetCommitKey({group: 'app', topic: 'a', partition: 1}), encodeOffsetCommitValue(at(7))),
      record(Buffer.from([0, 3, 0, 0]), Buffer.from('a KIP-848 record')),
      record(encodeGroupMetadataKey({group: 'app'}), Buffer.from([0, 9, 1, 2])),
    ], {compression: 'gzip'}))
    const control = await encodeRecordBatch([record(Buffer.from([0, 0, 0, 1]), Buffer.from([0, 0, 0, 0, 0, 0]))], {compression: 'none'})
    control.writeInt16BE(control.readInt16BE(ATTRIBUTES_AT) | CONTROL_ATTRIBUTE, ATTRIBUTES_AT)
    stampBatchCrc(control)
    partition.append(control)
    partition.append(await encodeRecordBatch([record(encodeOffsetCommitKey({group: 'app', topic: 'a', partition: 0}), encodeOffsetCommitValue(at(8)))],
      {compression: 'lz4'}))

    const {store: reloaded, groups} = await reopen()
    expect(reloaded.committedOffsets('app').map(p => [p.partition, p.committed.offset])).to.deep.equal([[0, 8], [1, 7]])
    expect(groups.size).to.equal(0)
    const skipped = lines.filter(line => line.includes('skips'))
    expect(skipped).to.have.length(1)
    expect(skipped[0]).to.match(/^replay of __consumer_offsets-\d+ skips the record at offset 3: /)
  })

  it('keeps replaying from the log start after compaction removed records', async () => {
    const {store} = await open()
    for (let i = 0; i < 5; i++) await store.commit('app', [{topic: 'a', partition: 0, committed: at(i)}])
    const partition = logs.partition('__consumer_offsets', consumerOffsetsPartition('app', 2))!
    await partition.deleteRecordsBefore(3)
    const {store: reloaded} = await reopen()
    expect(reloaded.committed('app', 'a', 0)?.offset).to.equal(4)
  })
})
