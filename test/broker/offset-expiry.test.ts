import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import type {CommittedPartition} from '../../src/broker/groups/committed-offsets.js'
import {expiredOffsets} from '../../src/broker/groups/offset-expiry.js'
import {OffsetStore} from '../../src/broker/groups/offset-store.js'
import {consumerOffsetsPartition} from '../../src/protocol/index.js'
import {LogManager} from '../../src/storage/index.js'
import {FakeMembership, snapshotOf, storedRecords} from './offset-fixtures.js'

const MINUTE = 60_000
const RETENTION = 10 * MINUTE

const row = (topic: string, commitTimestamp: number, expireTimestamp = -1): CommittedPartition =>
  ({topic, partition: 0, committed: {offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp, expireTimestamp}})
const topicsOf = (rows: {topic: string}[]) => rows.map(r => r.topic)

describe('Offset expiry', () => {
  describe('expiredOffsets', () => {
    const rows = [row('old', 0), row('new', 5 * MINUTE), row('pinned', 0, 30 * MINUTE), row('short', 9 * MINUTE, 11 * MINUTE)]

    it('counts an Empty group\'s retention from when it became empty; an explicit expiry wins', () => {
      expect(topicsOf(expiredOffsets(rows, snapshotOf('Empty', {stateTimestamp: 2 * MINUTE}), 11 * MINUTE, RETENTION))).to.deep.equal(['short'])
      expect(topicsOf(expiredOffsets(rows, snapshotOf('Empty', {stateTimestamp: 2 * MINUTE}), 12 * MINUTE, RETENTION))).to.deep.equal(
        ['old', 'new', 'short'])
    })

    it('counts from each commit for groups without protocol type, and groups the coordinator does not know', () => {
      const at = 12 * MINUTE
      expect(topicsOf(expiredOffsets(rows, snapshotOf('Empty', {protocolType: null, stateTimestamp: at}), at, RETENTION))).to.deep.equal(['old', 'short'])
      expect(topicsOf(expiredOffsets(rows, undefined, at, RETENTION))).to.deep.equal(['old', 'short'])
    })

    it('expires only the topics a Stable consumer group no longer subscribes to', () => {
      const stable = snapshotOf('Stable', {subscribedTopics: new Set(['old', 'short'])})
      expect(topicsOf(expiredOffsets(rows, stable, 40 * MINUTE, RETENTION))).to.deep.equal(['new', 'pinned'])
    })

    it('expires nothing of a rebalancing group, a group of another protocol, or one whose subscriptions are unknown', () => {
      for (const group of [snapshotOf('PreparingRebalance', {subscribedTopics: new Set()}), snapshotOf('CompletingRebalance'),
        snapshotOf('Stable', {protocolType: 'connect'}), snapshotOf('Stable')]) {
        expect(expiredOffsets(rows, group, 100 * MINUTE, RETENTION), group.state).to.deep.equal([])
      }
    })
  })

  describe('OffsetStore.expireOffsets', () => {
    let dataDir: string
    let logs: LogManager
    let lines: string[]
    let store: OffsetStore
    let membership: FakeMembership
    let clock: number
    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'weir-offset-expiry-test-'))
      logs = await LogManager.open(dataDir)
      lines = []
      clock = 0
      const settings = BrokerSettings.from({'offsets.topic.num.partitions': '1', 'offsets.retention.minutes': '10'}).groups
      store = new OffsetStore({logs, settings, log: line => lines.push(line), now: () => clock})
      await store.load()
      membership = new FakeMembership()
      store.startExpiry(membership)
    })
    afterEach(async () => {
      store.close()
      await logs.close()
      await rm(dataDir, {recursive: true, force: true})
    })

    const commit = (groupId: string, topic: string, expireTimestamp = -1) => store.commit(groupId, [{topic, partition: 0,
      committed: {offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp: clock, expireTimestamp}}])

    it('tombstones what expired, keeps the rest, and tells the membership side of groups left without offsets', async () => {
      membership.groups.set('empty', snapshotOf('Empty', {stateTimestamp: 0}))
      membership.groups.set('live', snapshotOf('Stable', {subscribedTopics: new Set(['a'])}))
      await commit('empty', 'a')
      await commit('live', 'a')
      await commit('live', 'b')
      clock = 5 * MINUTE
      await commit('admin', 'a')
      await commit('admin', 'b', 6 * MINUTE)

      expect(await store.expireOffsets(9 * MINUTE)).to.equal(1)
      expect(store.committedOffsets('admin').map(p => p.topic)).to.deep.equal(['a'])
      expect(await store.expireOffsets(10 * MINUTE)).to.equal(2)
      expect(store.groupIds()).to.deep.equal(['admin', 'live'])
      expect(store.committedOffsets('live').map(p => p.topic)).to.deep.equal(['a'])
      expect(membership.gone).to.deep.equal(['empty'])
      expect(lines).to.include('expired 1 committed offsets of group empty')

      const tombstones = (await storedRecords(logs, consumerOffsetsPartition('empty', 1))).filter(r => r.value === null)
      expect(tombstones.map(r => r.key.type === 'offset-commit' ? `${r.key.key.group}/${r.key.key.topic}` : '')).to.deep.equal(
        ['admin/b', 'empty/a', 'live/b'])
      expect(await store.expireOffsets(15 * MINUTE)).to.equal(1)
      expect(membership.gone).to.deep.equal(['empty', 'admin'])
    })

    it('runs by itself every offsets.retention.check.interval.ms once started, and stops on close', async () => {
      const settings = BrokerSettings.from({'offsets.topic.num.partitions': '1', 'offsets.retention.check.interval.ms': '5'}).groups
      const timed = new OffsetStore({logs, settings, log: line => lines.push(line), now: () => clock})
      // default retention (7 days), counted from the commit: the group is unknown to the membership side
      await timed.commit('admin', [{topic: 'a', partition: 0, committed: {offset: 1, leaderEpoch: -1, metadata: '', commitTimestamp: 0,
        expireTimestamp: -1}}])
      timed.startExpiry(membership)
      try {
        clock = 8 * 24 * 60 * MINUTE
        const deadline = Date.now() + 10_000
        while (membership.gone.length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
        expect(timed.hasOffsets('admin')).to.equal(false)
        expect(membership.gone).to.deep.equal(['admin'])
      } finally {
        timed.close()
      }
    })

    it('keeps a commit that lands while expiry runs', async () => {
      await commit('admin', 'a')
      clock = 20 * MINUTE
      const [expired] = await Promise.all([store.expireOffsets(20 * MINUTE), commit('admin', 'a')])
      // whichever went first, the offset committed at minute 20 stays: either expiry ran before it and
      // tombstoned the old one, or after it and found nothing expired
      expect(store.committed('admin', 'a', 0)?.commitTimestamp).to.equal(20 * MINUTE)
      expect(expired).to.be.within(0, 1)
      await logs.close()
      logs = await LogManager.open(dataDir)
      const reloaded = new OffsetStore({logs, settings: BrokerSettings.DEFAULTS.groups, log: () => {}})
      await reloaded.load()
      expect(reloaded.committed('admin', 'a', 0)?.commitTimestamp).to.equal(20 * MINUTE)
    })
  })
})
