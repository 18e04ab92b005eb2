import {expect} from 'chai'

import {CliError, UsageError} from '../../src/cli/cli-errors.js'
import {type ResetPlanAdmin, type ResetRequest, planReset} from '../../src/cli/offset-reset-inputs.js'
import type {TopicDescription} from '../../src/client/index.js'
import {ErrorCode} from '../../src/protocol/index.js'

/**
 * orders has 3 partitions holding offsets [2, 10), [0, 4) and [5, 5), one record per 100 ms from
 * timestamp 0 at offset 0; audit has 1 partition [0, 8). Group billing committed orders/0 at 4 and
 * gone/0 (a deleted topic) at 1 only when asked to; group audit-readers committed audit/0 at 8.
 */
function fakeAdmin(withDeletedTopic = false): ResetPlanAdmin & {calls: string[]} {
  const logs: Record<string, [number, number][]> = {orders: [[2, 10], [0, 4], [5, 5]], audit: [[0, 8]]}
  const commits: Record<string, {topic: string; partition: number; offset: number}[]> = {
    billing: [{topic: 'orders', partition: 0, offset: 4}, ...(withDeletedTopic ? [{topic: 'gone', partition: 0, offset: 1}] : [])],
    'audit-readers': [{topic: 'audit', partition: 0, offset: 8}],
  }
  const calls: string[] = []
  return {
    calls,
    async listGroupOffsets(group) {
      calls.push(`offsets ${group}`)
      return commits[group] ?? []
    },
    async describeTopics(names): Promise<TopicDescription[]> {
      calls.push(`describe ${names.join(',')}`)
      return names.map((name) => ({
        name, topicId: '', internal: false,
        errorCode: logs[name] ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        partitions: (logs[name] ?? []).map((_, partition) => ({partition, leader: 0, replicas: [0], isr: [0]})),
      }))
    },
    async listOffsets(topic, partitions, spec) {
      calls.push(`list ${topic} ${partitions.join(',')} ${spec}`)
      return new Map(partitions.map((partition) => {
        const [start, end] = logs[topic]![partition]!
        if (spec === 'earliest') return [partition, start]
        if (spec === 'latest') return [partition, end]
        const offset = Math.max(start, Math.ceil(spec / 100))
        return [partition, offset < end ? offset : -1]
      }))
    },
  }
}

async function newOffsets(admin: ResetPlanAdmin, request: ResetRequest): Promise<string[]> {
  const plan = await planReset(admin, request)
  return plan.groups.flatMap(({plan: {offsets}}) => offsets.map((o) => `${o.group} ${o.topic}/${o.partition} ${o.currentOffset ?? '-'} -> ${o.offset}`))
}

describe('offset reset inputs', () => {
  it('plans a whole topic from its partitions, with committed offsets where there are some', async () => {
    const admin = fakeAdmin()
    expect(await newOffsets(admin, {groups: ['billing'], spec: {kind: 'earliest'}, scope: {kind: 'topics', topics: [{topic: 'orders', partitions: null}]}}))
      .to.deep.equal(['billing orders/0 4 -> 2', 'billing orders/1 - -> 0', 'billing orders/2 - -> 5'])
    expect(admin.calls).to.include('list orders 0,1,2 earliest')
  })

  it('plans the topics a group has committed offsets for with --all-topics, each group its own', async () => {
    const admin = fakeAdmin()
    expect(await newOffsets(admin, {groups: ['billing', 'audit-readers', 'new'], spec: {kind: 'latest'}, scope: {kind: 'all-topics'}}))
      .to.deep.equal(['billing orders/0 4 -> 10', 'audit-readers audit/0 8 -> 8'])
  })

  it('asks for the offsets of a time only when the plan needs them', async () => {
    const admin = fakeAdmin()
    expect(await newOffsets(admin, {groups: ['billing'], spec: {kind: 'time', timestamp: 250}, scope: {kind: 'topics', topics: [{topic: 'orders', partitions: [0, 1]}]}}))
      .to.deep.equal(['billing orders/0 4 -> 3', 'billing orders/1 - -> 3'])
    expect(await newOffsets(admin, {groups: ['billing'], spec: {kind: 'time', timestamp: 5000}, scope: {kind: 'topics', topics: [{topic: 'orders', partitions: [0]}]}}))
      .to.deep.equal(['billing orders/0 4 -> 10'])
    expect(admin.calls.filter((call) => call.endsWith(' 250'))).to.deep.equal(['list orders 0,1 250'])
  })

  it('collects the clamping warnings of every group', async () => {
    const plan = await planReset(fakeAdmin(), {groups: ['billing', 'audit-readers'], spec: {kind: 'offset', offset: 9}, scope: {kind: 'all-topics'}})
    expect(plan.warnings).to.deep.equal(["new offset 9 for audit/0 of group 'audit-readers' is past its log end offset; it will be set to 8."])
  })

  it('plans the partitions of the file, narrowed by --topic', async () => {
    const file = {path: 'plan.csv', offsets: new Map([['billing', [{topic: 'orders', partition: 1, offset: 1}, {topic: 'audit', partition: 0, offset: 20}]]])}
    expect(await newOffsets(fakeAdmin(), {groups: ['billing', 'other'], spec: {kind: 'file', path: 'plan.csv'}, scope: {kind: 'file'}, file}))
      .to.deep.equal(['billing audit/0 - -> 8', 'billing orders/1 - -> 1'])
    expect(await newOffsets(fakeAdmin(), {groups: ['billing'], spec: {kind: 'file', path: 'plan.csv'}, scope: {kind: 'topics', topics: [{topic: 'orders', partitions: null}]}, file}))
      .to.deep.equal(['billing orders/1 - -> 1'])
  })

  it('refuses a topic that does not exist and a partition a topic lacks, saying where it came from', async () => {
    const topics = (topic: string, partitions: number[] | null): ResetRequest => ({groups: ['billing'], spec: {kind: 'earliest'}, scope: {kind: 'topics', topics: [{topic, partitions}]}})
    const missingTopic = await planReset(fakeAdmin(), topics('nope', null)).catch((error: unknown) => error)
    expect(missingTopic).to.be.instanceOf(CliError).with.property('message', "topic 'nope' does not exist")
    const missingPartition = await planReset(fakeAdmin(), topics('orders', [0, 3])).catch((error: unknown) => error)
    expect(missingPartition).to.be.instanceOf(UsageError).with.property('message', 'topic orders has no partition 3 (it has 3)')

    const file = {path: 'plan.csv', offsets: new Map([['billing', [{topic: 'audit', partition: 4, offset: 1}]]])}
    const fromFile = await planReset(fakeAdmin(), {groups: ['billing'], spec: {kind: 'file', path: 'plan.csv'}, scope: {kind: 'file'}, file}).catch((error: unknown) => error)
    expect(fromFile).to.be.instanceOf(CliError).and.not.instanceOf(UsageError)
    expect((fromFile as Error).message).to.equal('topic audit has no partition 4 (it has 1), but plan.csv lists it')
  })

  it('says how to get past offsets committed for a topic deleted since', async () => {
    const failure = await planReset(fakeAdmin(true), {groups: ['billing'], spec: {kind: 'earliest'}, scope: {kind: 'all-topics'}}).catch((error: unknown) => error)
    expect(failure).to.be.instanceOf(CliError).with.property('message', "topic 'gone' does not exist, but a group has offsets committed for it")
    expect((failure as CliError).hint).to.include('delete-offsets')
  })
})
