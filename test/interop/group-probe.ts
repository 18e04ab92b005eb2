/**
 * What the group interop tests need from the daemon besides the members themselves: rounds of
 * records written to every partition (values name the round, partition and index, so a test knows
 * exactly which records each member must see), and the group as DescribeGroups reports it, with each
 * member's assignment decoded from Kafka's consumer protocol.
 */
import {expect} from 'chai'

import {Connection} from '../../src/client/connection.js'
import {KafkaClient} from '../../src/client/index.js'
import {negotiateVersions} from '../../src/client/versions.js'
import {ApiKey, decodeAssignment} from '../../src/protocol/index.js'

import type {ConsumedRecord, GroupMember} from './group-member.js'

export interface GroupView {
  state: string
  protocol: string
  members: {memberId: string; clientId: string; clientHost: string; partitions: number[]}[]
}

/** Writes `perPartition` records to each of `partitions` partitions; returns their values. */
export async function produceRound(socket: string, topic: string, round: string, partitions: number, perPartition: number): Promise<string[]> {
  const client = await KafkaClient.connect({socket, clientId: 'group-interop'})
  const values: string[] = []
  try {
    const producer = client.producer({acks: -1})
    for (let partition = 0; partition < partitions; partition++) {
      for (let i = 0; i < perPartition; i++) {
        const value = `${round}/p${partition}/${i}`
        values.push(value)
        producer.send({topic, partition, key: null, value: Buffer.from(value)})
      }
    }
    await producer.flush()
  } finally {
    await client.close()
  }
  return values
}

/** The group as the coordinator describes it (DescribeGroups over the daemon's socket). */
export async function describeGroup(socket: string, group: string): Promise<GroupView> {
  const connection = await Connection.open({address: {kind: 'unix', path: socket}, clientId: 'group-interop', requestTimeoutMs: 10_000})
  try {
    const versions = await negotiateVersions(connection)
    const response = await connection.request(ApiKey.DescribeGroups, versions.version(ApiKey.DescribeGroups),
      {groups: [group], includeAuthorizedOperations: false})
    const described = response.groups[0]!
    return {
      state: described.groupState,
      protocol: described.protocolData,
      members: described.members.map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        partitions: member.memberAssignment.length === 0 ? []
          : decodeAssignment(member.memberAssignment).value.assignedPartitions.flatMap((tp) => tp.partitions).sort((a, b) => a - b),
      })),
    }
  } finally {
    connection.close()
  }
}

/** Polls `check` every 100 ms until it returns a value other than undefined; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits until the group is Stable with `count` members, each of which has partitions. */
export function waitForStableGroup(socket: string, group: string, count: number, timeoutMs: number): Promise<GroupView> {
  return waitFor(`group ${group} stable with ${count} members`, timeoutMs, async () => {
    const view = await describeGroup(socket, group)
    const complete = view.state === 'Stable' && view.members.length === count && view.members.every((m) => m.partitions.length > 0)
    return complete ? view : undefined
  })
}

/** Waits until the members between them have consumed every value in `values`. */
export function waitForValues(members: GroupMember[], values: string[], timeoutMs: number): Promise<void> {
  return waitFor(`${values.length} records consumed`, timeoutMs, () => {
    const seen = new Set(members.flatMap((member) => member.records.map((record) => record.value)))
    const missing = values.filter((value) => !seen.has(value))
    for (const member of members) {
      if (!member.alive) throw new Error(`${member.kind} member ${member.pid} exited early: ${member.errors}`)
    }
    return missing.length === 0 ? true : undefined
  }).then(() => undefined)
}

/** Every record a member consumed came from a partition the group description assigned to some member. */
export function partitionsOf(records: ConsumedRecord[]): number[] {
  return [...new Set(records.map((record) => record.partition))].sort((a, b) => a - b)
}

/** The assignment covers every partition exactly once. */
export function expectCompleteAssignment(view: GroupView, partitions: number): void {
  const all = view.members.flatMap((member) => member.partitions).sort((a, b) => a - b)
  expect(all, `assignment of ${JSON.stringify(view.members)}`).to.deep.equal([...Array(partitions).keys()])
}
