import type {TopicDescription} from '../client/index.js'
import {CliError, UsageError} from './cli-errors.js'
import type {RequestedOffset} from './offset-reset-csv.js'
import {type GroupPlan, type PartitionFacts, planGroupReset} from './offset-reset-plan.js'
import {type ResetScope, type TopicPartition, partitionKey, scopePartitions} from './offset-reset-scope.js'
import type {ResetSpec} from './offset-reset-spec.js'
import type {OffsetLookup} from './partition-positions.js'
import {topicError} from './topic-errors.js'

/** The Admin calls planning makes: committed offsets, topics and their log offsets. */
export interface ResetPlanAdmin extends OffsetLookup {
  listGroupOffsets(groupId: string, topics?: string[]): Promise<{topic: string; partition: number; offset: number}[]>
  describeTopics(names: string[]): Promise<TopicDescription[]>
}

export interface ResetRequest {
  groups: readonly string[]
  spec: ResetSpec
  scope: ResetScope
  /** For --from-file: the file's offsets by group, and its name for errors. */
  file?: {path: string; offsets: ReadonlyMap<string, RequestedOffset[]>}
}

/** What each group's offsets become, in the order of the groups, and the clamping warnings. */
export interface ResetPlan {
  groups: {group: string; plan: GroupPlan}[]
  warnings: string[]
}

/**
 * Reads what the plan depends on (each group's committed offsets, the topics in scope, the log start
 * and end of every partition, the offsets for a time) and plans every group. Nothing is changed.
 */
export async function planReset(admin: ResetPlanAdmin, request: ResetRequest): Promise<ResetPlan> {
  const committed = new Map<string, Map<string, number>>()
  const selected = new Map<string, TopicPartition[]>()
  const counts = await partitionCounts(admin, request.scope.kind === 'topics' ? request.scope.topics.map((scope) => scope.topic) : [])
  const groupOffsets = await Promise.all(request.groups.map(async (group) => (await admin.listGroupOffsets(group)).filter((offset) => offset.offset >= 0)))
  request.groups.forEach((group, index) => {
    const offsets = groupOffsets[index]!
    committed.set(group, new Map(offsets.map((offset) => [partitionKey(offset.topic, offset.partition), offset.offset])))
    selected.set(group, scopePartitions(request.scope, offsets, (topic) => counts.get(topic)!, fileRows(request, group)))
  })
  const everyPartition = [...new Map([...selected.values()].flat().map((tp) => [partitionKey(tp.topic, tp.partition), tp])).values()]
  await checkPartitionsExist(admin, everyPartition, counts, request)
  const logs = await logFacts(admin, everyPartition, request.spec)

  const plans = request.groups.map((group) => {
    const requested = new Map((request.file?.offsets.get(group) ?? []).map((row) => [partitionKey(row.topic, row.partition), row.offset]))
    const plan = planGroupReset(group, request.spec, selected.get(group)!, (tp): PartitionFacts => {
      const key = partitionKey(tp.topic, tp.partition)
      return {...logs.get(key)!, committed: committed.get(group)!.get(key) ?? null, requested: requested.get(key)}
    })
    return {group, plan}
  })
  return {groups: plans, warnings: plans.flatMap(({plan}) => plan.warnings)}
}

/** The file's partitions for a group (none when the file does not mention it), null without a file. */
function fileRows(request: ResetRequest, group: string): RequestedOffset[] | null {
  if (request.file === undefined) return null
  return request.file.offsets.get(group) ?? []
}

/** Each topic's partition count; a topic that does not exist is an error in the words of `topics`. */
async function partitionCounts(admin: ResetPlanAdmin, topics: readonly string[]): Promise<Map<string, number>> {
  const names = [...new Set(topics)]
  if (names.length === 0) return new Map()
  const counts = new Map<string, number>()
  for (const description of await admin.describeTopics(names)) {
    if (description.errorCode !== 0) throw topicError({name: description.name, errorCode: description.errorCode})
    counts.set(description.name, description.partitions.length)
  }
  return counts
}

/**
 * Every partition to reset must exist, as Kafka checks before it plans: a partition named with --topic
 * that the topic lacks is a usage error; one from the file or from old commits (a deleted topic) is a
 * failure that says where it came from.
 */
async function checkPartitionsExist(admin: ResetPlanAdmin, partitions: readonly TopicPartition[], known: Map<string, number>,
  request: ResetRequest): Promise<void> {
  const unknownTopics = [...new Set(partitions.map((tp) => tp.topic))].filter((topic) => !known.has(topic))
  try {
    for (const [topic, count] of await partitionCounts(admin, unknownTopics)) known.set(topic, count)
  } catch (error) {
    throw request.file === undefined ? withCommitHint(error) : error
  }
  const missing = partitions.find((tp) => tp.partition >= known.get(tp.topic)!)
  if (missing === undefined) return
  const count = known.get(missing.topic)!
  const what = `topic ${missing.topic} has no partition ${missing.partition} (it has ${count})`
  if (request.file !== undefined) throw new CliError(`${what}, but ${request.file.path} lists it`, {code: 'WEIR_ERR_UNKNOWN_PARTITION'})
  if (request.scope.kind === 'topics') throw new UsageError(what, `see: weir topics describe ${missing.topic}`)
  throw new CliError(`${what}, but the group has an offset committed for it`,
    {code: 'WEIR_ERR_UNKNOWN_PARTITION', hint: 'name the topics to reset with --topic instead of --all-topics'})
}

/** A committed offset for a topic deleted since: say how to get past it. */
function withCommitHint(error: unknown): unknown {
  if (!(error instanceof CliError)) return error
  return new CliError(`${error.message}, but a group has offsets committed for it`,
    {code: error.code, hint: 'name the topics to reset with --topic, or remove those offsets with weir consumer-groups delete-offsets'})
}

/** Log start and end of each partition, and for a time the first offset at or after it. */
async function logFacts(admin: OffsetLookup, partitions: readonly TopicPartition[], spec: ResetSpec):
  Promise<Map<string, Pick<PartitionFacts, 'start' | 'end' | 'atTime'>>> {
  const byTopic = new Map<string, number[]>()
  for (const {topic, partition} of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
  const facts = new Map<string, Pick<PartitionFacts, 'start' | 'end' | 'atTime'>>()
  await Promise.all([...byTopic].map(async ([topic, numbers]) => {
    const [start, end, atTime] = await Promise.all([
      admin.listOffsets(topic, numbers, 'earliest'),
      admin.listOffsets(topic, numbers, 'latest'),
      spec.kind === 'time' ? admin.listOffsets(topic, numbers, spec.timestamp) : Promise.resolve(null),
    ])
    for (const partition of numbers) {
      facts.set(partitionKey(topic, partition), {start: start.get(partition)!, end: end.get(partition)!,
        ...(atTime === null ? {} : {atTime: atTime.get(partition) ?? -1})})
    }
  }))
  return facts
}
