import {expect} from 'chai'

import {CliError} from '../../src/cli/cli-errors.js'
import {type ResetGroupAdmin, checkGroupsInactive, commitFailure, commitPlannedOffsets, selectedGroups} from '../../src/cli/offset-reset-groups.js'
import {committedRows, plannedRows, resetTableLines} from '../../src/cli/offset-reset-output.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {ErrorCode} from '../../src/protocol/index.js'

const states: Record<string, [number, string]> = {
  idle: [0, 'Empty'], gone: [0, 'Dead'], missing: [ErrorCode.GROUP_ID_NOT_FOUND, 'Dead'],
  busy: [0, 'Stable'], joining: [0, 'PreparingRebalance'], elsewhere: [ErrorCode.COORDINATOR_NOT_AVAILABLE, ''],
}
const admin: ResetGroupAdmin = {
  async listGroups() {
    return [
      {groupId: 'zeta', state: 'Empty', protocolType: 'consumer'},
      {groupId: 'connect-sink', state: 'Stable', protocolType: 'connect'},
      {groupId: 'alpha', state: 'Empty', protocolType: ''},
    ]
  },
  async describeGroups(ids) {
    return ids.map((groupId) => ({groupId, errorCode: states[groupId]![0], state: states[groupId]![1]}))
  },
}

const planned = [
  {group: 'a', topic: 't', partition: 0, offset: 5, currentOffset: 1},
  {group: 'a', topic: 't', partition: 1, offset: 6, currentOffset: null},
  {group: 'b', topic: 't', partition: 0, offset: 7, currentOffset: 7},
]

describe('offset reset groups', () => {
  it('takes the named groups, or every consumer group sorted', async () => {
    expect(await selectedGroups(admin, {kind: 'named', groups: ['b', 'a']})).to.deep.equal(['b', 'a'])
    expect(await selectedGroups(admin, {kind: 'all'})).to.deep.equal(['alpha', 'zeta'])
  })

  it('lets inactive and unknown groups be reset', async () => {
    await checkGroupsInactive(admin, ['idle', 'gone', 'missing'])
    await checkGroupsInactive(admin, [])
  })

  it('refuses a group with members in Kafka\'s words', async () => {
    const failure = await checkGroupsInactive(admin, ['idle', 'busy']).catch((error: unknown) => error)
    expect(failure).to.be.instanceOf(CliError).with.property('code', 'WEIR_ERR_GROUP_ACTIVE')
    expect((failure as Error).message).to.equal("Assignments can only be reset if the group 'busy' is inactive, but the current state is Stable.")
    const rebalancing = await checkGroupsInactive(admin, ['joining']).catch((error: unknown) => error)
    expect((rebalancing as Error).message).to.include('the current state is PreparingRebalance.')
  })

  it('passes on a group the coordinator could not describe', async () => {
    const failure = await checkGroupsInactive(admin, ['elsewhere']).catch((error: unknown) => error)
    expect(failure).to.be.instanceOf(KafkaProtocolError).with.property('subject', 'group elsewhere')
  })

  it('commits one request per group and lines the answers up with the plan', async () => {
    const sent: string[] = []
    const answers = await commitPlannedOffsets({
      async alterGroupOffsets(group, offsets) {
        sent.push(`${group}: ${offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(' ')}`)
        return offsets.map(({topic, partition}) => ({topic, partition, errorCode: group === 'b' ? ErrorCode.UNKNOWN_MEMBER_ID : 0}))
      },
    }, planned)
    expect(sent).to.deep.equal(['a: t/0@5 t/1@6', 'b: t/0@7'])
    const rows = committedRows(planned, answers)
    expect(rows.map((row) => row.error)).to.deep.equal([null, null, 'UNKNOWN_MEMBER_ID'])
    const failure = commitFailure(rows)!
    expect(failure.message).to.equal("could not commit 1 of 3 offsets: group 'b' t/0 UNKNOWN_MEMBER_ID")
    expect(failure.hint).to.include('members again')
  })

  it('counts a partition the coordinator did not answer for as not committed', () => {
    const rows = committedRows(planned.slice(0, 1), [])
    expect(rows[0]!.error).to.equal('UNKNOWN_SERVER_ERROR')
    expect(commitFailure(rows)!.hint).to.equal(undefined)
    expect(commitFailure(plannedRows(planned))).to.equal(null)
  })

  it('prints Kafka\'s columns, with an ERROR column only when a commit failed', () => {
    expect(resetTableLines(plannedRows(planned.slice(0, 2)))).to.deep.equal([
      'GROUP  TOPIC  PARTITION  NEW-OFFSET',
      'a      t      0          5',
      'a      t      1          6',
    ])
    const rows = committedRows(planned.slice(2), [{group: 'b', topic: 't', partition: 0, errorCode: ErrorCode.REBALANCE_IN_PROGRESS}])
    expect(resetTableLines(rows)).to.deep.equal([
      'GROUP  TOPIC  PARTITION  NEW-OFFSET  ERROR',
      'b      t      0          7           REBALANCE_IN_PROGRESS',
    ])
  })
})
