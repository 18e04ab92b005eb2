import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import type {BrokerHarness} from './broker-harness.js'
import {describeGroup, eventually, heartbeat, join, joinNew, openGroupBroker, sync} from './group-harness.js'

describe('FindCoordinator, LeaveGroup, DescribeGroups, ListGroups and DeleteGroups handlers', () => {
  let h: BrokerHarness
  beforeEach(async () => { h = await openGroupBroker() })
  afterEach(() => h.close())

  /** A Stable group `groupId` of one member; its member id. */
  const stableGroup = async (groupId = 'g'): Promise<string> => {
    const joined = await joinNew(h, {groupId})
    await sync(h, {groupId, generationId: joined.generationId, memberId: joined.memberId, assignments: []})
    return joined.memberId
  }

  describe('FindCoordinator', () => {
    const self = {nodeId: 1, host: '127.0.0.1', port: 19092, errorCode: 0}

    it('names this node for groups and transactions at every version', async () => {
      expect(await h.call(ApiKey.FindCoordinator, 0, {key: 'g'})).to.include({errorCode: 0, nodeId: 1, host: '127.0.0.1', port: 19092})
      expect(await h.call(ApiKey.FindCoordinator, 2, {key: 'tx', keyType: 1})).to.include({...self, errorMessage: null})
      const batched = await h.call(ApiKey.FindCoordinator, 4, {keyType: 0, coordinatorKeys: ['a', 'b']})
      expect(batched.coordinators).to.deep.equal([{key: 'a', ...self, errorMessage: null}, {key: 'b', ...self, errorMessage: null}])
    })

    it('answers INVALID_REQUEST for an empty key or a key type without a coordinator here', async () => {
      expect(await h.call(ApiKey.FindCoordinator, 1, {key: '', keyType: 0})).to.include({errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1, port: -1})
      const batched = await h.call(ApiKey.FindCoordinator, 6, {keyType: 2, coordinatorKeys: ['share']})
      expect(batched.coordinators[0]).to.include({key: 'share', errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1, host: ''})
      expect(batched.coordinators[0].errorMessage).to.match(/key type 2/)
    })
  })

  describe('LeaveGroup', () => {
    it('removes one member before v3, its error as the top-level code', async () => {
      const member = await stableGroup()
      expect((await h.call(ApiKey.LeaveGroup, 1, {groupId: 'g', memberId: 'who'})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
      expect((await h.call(ApiKey.LeaveGroup, 1, {groupId: 'g', memberId: member})).errorCode).to.equal(0)
      const described = await describeGroup(h)
      expect(described).to.include({groupState: 'Empty', protocolType: 'consumer'})
      expect(described.members).to.deep.equal([])
      expect(await heartbeat(h, member, 1)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    })

    it('removes a batch from v3 with an error per member, and the others rebalance', async () => {
      const a = await stableGroup()
      const b = await join(h)
      const bJoin = join(h, {memberId: b.memberId})
      await join(h, {memberId: a})
      const joined = await bJoin
      await Promise.all([sync(h, {generationId: 2, memberId: a, assignments: []}), sync(h, {generationId: 2, memberId: joined.memberId})])
      const left = await h.call(ApiKey.LeaveGroup, 3, {groupId: 'g',
        members: [{memberId: joined.memberId, groupInstanceId: null}, {memberId: 'who', groupInstanceId: null}]})
      expect(left.errorCode).to.equal(0)
      expect(left.members).to.deep.equal([
        {memberId: joined.memberId, groupInstanceId: null, errorCode: 0},
        {memberId: 'who', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID},
      ])
      expect(await heartbeat(h, a, 2)).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)
      expect((await join(h, {memberId: a})).generationId).to.equal(3)
    })

    it('forgets a member id handed out with MEMBER_ID_REQUIRED, and answers each member of an unknown group 25', async () => {
      const pending = await join(h)
      expect((await h.call(ApiKey.LeaveGroup, 5, {groupId: 'g', members: [{memberId: pending.memberId, groupInstanceId: null, reason: 'bye'}]}))
        .members[0].errorCode).to.equal(0)
      expect((await join(h, {memberId: pending.memberId})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
      const unknown = await h.call(ApiKey.LeaveGroup, 4, {groupId: 'nobody', members: [{memberId: 'm', groupInstanceId: null}]})
      expect(unknown).to.deep.include({errorCode: 0, members: [{memberId: 'm', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID}]})
      expect((await h.call(ApiKey.LeaveGroup, 3, {groupId: '', members: []})).errorCode).to.equal(ErrorCode.INVALID_GROUP_ID)
    })
  })

  describe('DescribeGroups', () => {
    it('describes an unknown group as Dead without error, and hides protocol and metadata until Stable', async () => {
      expect(await describeGroup(h, 'nobody')).to.deep.include({errorCode: 0, groupState: 'Dead', protocolType: '', protocolData: '', members: []})
      const joined = await joinNew(h)
      const described = await describeGroup(h)
      expect(described).to.include({groupState: 'CompletingRebalance', protocolType: 'consumer', protocolData: ''})
      expect(described.members[0].memberMetadata.length).to.equal(0)
      await sync(h, {generationId: 1, memberId: joined.memberId, assignments: []})
      const stable = await describeGroup(h)
      expect(stable).to.include({groupState: 'Stable', protocolData: 'range'})
      expect(stable.members[0].memberMetadata.length).to.be.greaterThan(0)
    })

    it('reports authorized operations only when asked (v3+)', async () => {
      const asked = await h.call(ApiKey.DescribeGroups, 3, {groups: ['g'], includeAuthorizedOperations: true})
      expect(asked.groups[0].authorizedOperations).to.equal((1 << 3) | (1 << 6) | (1 << 8))
      const notAsked = await h.call(ApiKey.DescribeGroups, 4, {groups: ['g'], includeAuthorizedOperations: false})
      expect(notAsked.groups[0].authorizedOperations).to.equal(-2147483648)
    })
  })

  describe('ListGroups', () => {
    it('lists every group with protocol type, state (v4) and type (v5), filtered without case', async () => {
      await stableGroup('live')
      await stableGroup('gone')
      await h.call(ApiKey.LeaveGroup, 1, {groupId: 'gone', memberId: (await describeGroup(h, 'gone')).members[0].memberId})
      const all = await h.call(ApiKey.ListGroups, 2, {})
      expect(all.groups.map(g => g.groupId).sort()).to.deep.equal(['gone', 'live'])
      expect(all.groups[0].protocolType).to.equal('consumer')
      const empty = await h.call(ApiKey.ListGroups, 4, {statesFilter: ['empty']})
      expect(empty.groups.map(g => [g.groupId, g.groupState])).to.deep.equal([['gone', 'Empty']])
      const classic = await h.call(ApiKey.ListGroups, 5, {statesFilter: ['STABLE'], typesFilter: ['Classic']})
      expect(classic.groups).to.deep.equal([{groupId: 'live', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic'}])
      expect((await h.call(ApiKey.ListGroups, 5, {statesFilter: [], typesFilter: ['consumer']})).groups).to.deep.equal([])
    })
  })

  describe('DeleteGroups', () => {
    it('deletes an Empty group; refuses one with members (68), an unknown one (69) and an empty id (24)', async () => {
      await stableGroup('live')
      await stableGroup('done')
      await h.call(ApiKey.LeaveGroup, 1, {groupId: 'done', memberId: (await describeGroup(h, 'done')).members[0].memberId})
      await eventually(async () => (await describeGroup(h, 'done')).groupState === 'Empty', 'the group to empty')
      const deleted = await h.call(ApiKey.DeleteGroups, 2, {groupsNames: ['done', 'live', 'nobody', '']})
      expect(deleted.results).to.deep.equal([
        {groupId: 'done', errorCode: 0},
        {groupId: 'live', errorCode: ErrorCode.NON_EMPTY_GROUP},
        {groupId: 'nobody', errorCode: ErrorCode.GROUP_ID_NOT_FOUND},
        {groupId: '', errorCode: ErrorCode.INVALID_GROUP_ID},
      ])
      expect((await describeGroup(h, 'done')).groupState).to.equal('Dead')
      expect((await h.call(ApiKey.ListGroups, 4, {statesFilter: []})).groups.map(g => g.groupId)).to.deep.equal(['live'])
    })
  })
})
