import {expect} from 'chai'
import {ErrorCode} from '../../src/protocol/index.js'
import {
  assignmentText, lagSummaryLines, memberTableLines, offsetTableLines, stateNote, stateTableLines,
} from '../../src/cli/group-describe-format.js'
import {describeOutput} from '../../src/cli/group-describe-view.js'
import {deleteGroupsError, groupErrorText} from '../../src/cli/group-errors.js'
import {groupLag, offsetRows} from '../../src/cli/group-lag.js'
import {groupJson, type GroupSnapshot} from '../../src/cli/group-snapshot.js'
import {parseGroupStates} from '../../src/cli/group-states.js'
import {topicScopes} from '../../src/cli/group-topic-scope.js'
import {description, member} from './group-fixtures.js'

function snapshot(d = description(), offsets: {topic: string; partition: number; offset: number}[] = [],
  ends: Record<string, number[]> = {}): GroupSnapshot {
  const bounds = new Map(Object.entries(ends).map(([topic, list]) => [topic, new Map(list.map((end, p) => [p, {start: 0, end}]))]))
  const committed = offsets.map((o) => ({...o, leaderEpoch: -1, metadata: ''}))
  const rows = offsetRows(d, committed, bounds)
  return {description: d, offsets: committed, rows, lag: groupLag(d.groupId, rows)}
}

describe('consumer-groups formatting', () => {
  it('prints the offsets table in Kafka\'s columns with - for unknown', () => {
    const s = snapshot(description({members: [member('m1', [{topic: 'orders', partitions: [0]}]), member('idle')]}),
      [{topic: 'orders', partition: 0, offset: 10}, {topic: 'orders', partition: 1, offset: 3}], {orders: [15, 3]})
    expect(offsetTableLines(s.rows)).to.deep.equal([
      'GROUP  TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST        CLIENT-ID',
      'g      orders  0          10              15              5    m1           /127.0.0.1  c-m1',
      'g      orders  1          3               3               0    -            -           -',
      'g      -       -          -               -               -    idle         /127.0.0.1  c-idle',
    ])
  })

  it('sums the lag of a one-topic group in one line, naming partitions without a commit', () => {
    const s = snapshot(description({members: [member('m', [{topic: 'orders', partitions: [0, 1]}])]}), [{topic: 'orders', partition: 0, offset: 1}],
      {orders: [5, 9]})
    expect(lagSummaryLines(s.lag)).to.deep.equal(['Total lag of group g: 4 (1 of 2 partitions without a committed offset)'])
  })

  it('adds a line per topic when the group reads several', () => {
    const s = snapshot(description(), [{topic: 'orders', partition: 0, offset: 1}, {topic: 'audit', partition: 0, offset: 0}, {topic: 'audit', partition: 1, offset: 4}],
      {orders: [5], audit: [10, 4]})
    expect(lagSummaryLines(s.lag)).to.deep.equal(['Total lag of group g: 14', '  audit   10', '  orders  4'])
    const unknown = snapshot(description({members: [member('m', [{topic: 'new', partitions: [0]}])]}), [{topic: 'orders', partition: 0, offset: 5}],
      {orders: [5], new: [3]})
    expect(lagSummaryLines(unknown.lag)).to.deep.equal([
      'Total lag of group g: 0', '  new     -  (1 of 1 partition without a committed offset)', '  orders  0',
    ])
  })

  it('lists members with their decoded assignments, and instance ids only when some member has one', () => {
    const d = description({members: [member('b', [{topic: 't', partitions: [0, 1]}, {topic: 'u', partitions: [2]}]), member('a')]})
    expect(memberTableLines(d)).to.deep.equal([
      'GROUP  CONSUMER-ID  HOST        CLIENT-ID  #PARTITIONS  ASSIGNMENT',
      'g      a            /127.0.0.1  c-a        0            -',
      'g      b            /127.0.0.1  c-b        3            t(0,1),u(2)',
    ])
    const statics = description({members: [{...member('s', [{topic: 't', partitions: [0]}]), groupInstanceId: 'host-1'}]})
    expect(memberTableLines(statics)[0]).to.equal('GROUP  CONSUMER-ID  GROUP-INSTANCE-ID  HOST        CLIENT-ID  #PARTITIONS  ASSIGNMENT')
    expect(assignmentText([{topic: 't', partitions: []}])).to.equal('-')
  })

  it('prints the state view and Kafka\'s notes on states', () => {
    expect(stateTableLines([description({members: [member('m')]}), description({groupId: 'idle', state: 'Empty', protocol: ''})])).to.deep.equal([
      'GROUP  COORDINATOR (ID)    ASSIGNMENT-STRATEGY  STATE   #MEMBERS',
      'g      127.0.0.1:9092 (1)  range                Stable  1',
      'idle   127.0.0.1:9092 (1)  -                    Empty   0',
    ])
    expect(stateNote(description({state: 'Empty'}))).to.equal("Consumer group 'g' has no active members.")
    expect(stateNote(description({state: 'PreparingRebalance'}))).to.equal("Warning: Consumer group 'g' is rebalancing.")
    expect(stateNote(description())).to.equal(null)
  })

  it('lays out several groups as blocks, notes apart, and names groups that do not exist', () => {
    const live = snapshot(description({members: [member('m', [{topic: 't', partitions: [0]}])]}), [{topic: 't', partition: 0, offset: 1}], {t: [2]})
    const idle = snapshot(description({groupId: 'idle', state: 'Empty'}), [{topic: 't', partition: 0, offset: 2}], {t: [2]})
    const nothing = snapshot(description({groupId: 'bare', state: 'Empty'}))
    const dead = snapshot(description({groupId: 'nope', state: 'Dead', protocolType: '', protocol: ''}))
    const output = describeOutput('offsets', [live, idle, nothing, dead])
    expect(output.missing).to.deep.equal(['nope'])
    expect(output.notes).to.deep.equal(["Consumer group 'idle' has no active members.", "Consumer group 'bare' has no active members."])
    expect(output.lines.filter((line) => line === '')).to.have.length(3)
    expect(output.lines.filter((line) => line.startsWith('Total lag'))).to.deep.equal(['Total lag of group g: 1', 'Total lag of group idle: 0'])
    expect(describeOutput('members', [idle]).lines).to.deep.equal([])
    expect(describeOutput('state', [dead]).lines).to.deep.equal([])
  })

  it('gives every group as JSON with numbers and nulls', () => {
    const s = snapshot(description({members: [member('m', [{topic: 't', partitions: [0, 1]}])]}), [{topic: 't', partition: 0, offset: 1}], {t: [3, 4]})
    const json = groupJson(s)
    expect(json.totalLag).to.equal(2)
    expect(json.coordinator).to.deep.equal({id: 1, address: '127.0.0.1:9092'})
    expect(json.offsets[1]).to.deep.equal({topic: 't', partition: 1, currentOffset: null, logStartOffset: 0, logEndOffset: 4, lag: null,
      consumerId: 'm', host: '/127.0.0.1', clientId: 'c-m'})
  })

  it('reads --state in any case and refuses unknown states', () => {
    expect(parseGroupStates(['stable', 'EMPTY', 'Stable'])).to.deep.equal(['Stable', 'Empty'])
    expect(() => parseGroupStates(['sleepy'])).to.throw("unknown group state 'sleepy'")
  })

  it('merges --topic values per topic', () => {
    expect(topicScopes(['t:1', 'u', 't:0,1', 'u:3'])).to.deep.equal([{topic: 't', partitions: [0, 1]}, {topic: 'u', partitions: null}])
    expect(() => topicScopes(['t:x'])).to.throw("invalid partition 'x'")
  })

  it('words delete failures as Kafka does, with the code name', () => {
    expect(groupErrorText(ErrorCode.NON_EMPTY_GROUP)).to.equal('The group is not empty (NON_EMPTY_GROUP)')
    expect(groupErrorText(ErrorCode.GROUP_AUTHORIZATION_FAILED)).to.equal('Not authorized to access the group (GROUP_AUTHORIZATION_FAILED)')
    const error = deleteGroupsError([{groupId: 'a', errorCode: ErrorCode.NON_EMPTY_GROUP}, {groupId: 'b', errorCode: ErrorCode.GROUP_ID_NOT_FOUND}])
    expect(error.message).to.equal("Consumer group 'a' could not be deleted: The group is not empty (NON_EMPTY_GROUP); " +
      "Consumer group 'b' could not be deleted: The group id does not exist (GROUP_ID_NOT_FOUND)")
    expect(error.hint).to.equal('stop its consumers first; see who they are with: weir consumer-groups describe a --members')
  })
})
