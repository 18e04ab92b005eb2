import {UsageError} from './cli-errors.js'
import type {ResetSpec} from './offset-reset-spec.js'

/** One partition of one topic; `partitionKey` names it in maps. */
export interface TopicPartition {
  topic: string
  partition: number
}

/** `topic/partition`: topic names cannot hold `/`, so the key is unambiguous. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`
}

/** One --topic value: a whole topic, or only the listed partitions (`orders:0,2`). */
export interface TopicScope {
  topic: string
  /** null: every partition of the topic. */
  partitions: number[] | null
}

/**
 * Which partitions of each group are reset: those the group has committed offsets for (--all-topics),
 * the --topic list, or (only with --from-file) the ones the file lists.
 */
export type ResetScope =
  | {kind: 'all-topics'}
  | {kind: 'topics'; topics: TopicScope[]}
  | {kind: 'file'}

/** Which groups: those named (--group, repeatable) or every consumer group (--all-groups). */
export type GroupSelection = {kind: 'all'} | {kind: 'named'; groups: string[]}

/** `topic` or `topic:p[,p..]`, as kafka-consumer-groups takes --topic. */
export function parseTopicScope(text: string): TopicScope {
  const colon = text.indexOf(':')
  const topic = colon === -1 ? text : text.slice(0, colon)
  if (topic.trim() === '') throw new UsageError(`--topic needs a topic name, got '${text}'`, 'for example: --topic orders or --topic orders:0,1')
  if (colon === -1) return {topic, partitions: null}
  const partitions = text.slice(colon + 1).split(',').map((part) => {
    if (!/^\d+$/.test(part.trim()) || !Number.isSafeInteger(Number(part))) {
      throw new UsageError(`invalid partition '${part}' in --topic ${text}`, 'partitions are numbers separated by commas: --topic orders:0,1')
    }
    return Number(part)
  })
  return {topic, partitions: [...new Set(partitions)].sort((a, b) => a - b)}
}

/** The scope flags: exactly one of --topic and --all-topics, or neither with --from-file. */
export function resetScope(flags: {topic?: string[]; 'all-topics'?: boolean}, spec: ResetSpec): ResetScope {
  const topics = flags.topic ?? []
  if (flags['all-topics'] && topics.length > 0) throw new UsageError('give --topic or --all-topics, not both')
  if (flags['all-topics']) return {kind: 'all-topics'}
  if (topics.length > 0) return {kind: 'topics', topics: mergeTopicScopes(topics.map(parseTopicScope))}
  if (spec.kind === 'file') return {kind: 'file'}
  throw new UsageError('say which partitions to reset: --topic TOPIC[:P,P..] (repeatable) or --all-topics',
    'only --from-file may go without, as the file lists its partitions')
}

/** `--topic t:0 --topic t:1` is `t:0,1`; a whole topic swallows its listed partitions. */
function mergeTopicScopes(scopes: TopicScope[]): TopicScope[] {
  const merged = new Map<string, number[] | null>()
  for (const {topic, partitions} of scopes) {
    const known = merged.get(topic)
    if (known === null) continue
    merged.set(topic, partitions === null ? null : [...new Set([...(known ?? []), ...partitions])].sort((a, b) => a - b))
  }
  return [...merged].map(([topic, partitions]) => ({topic, partitions}))
}

/** The group flags: --group (repeatable) or --all-groups, one of them. */
export function groupSelection(flags: {group?: string[]; 'all-groups'?: boolean}): GroupSelection {
  const groups = [...new Set(flags.group ?? [])]
  if (flags['all-groups'] && groups.length > 0) throw new UsageError('give --group or --all-groups, not both')
  if (flags['all-groups']) return {kind: 'all'}
  if (groups.length === 0) throw new UsageError('say which group to reset: --group GROUP (repeatable) or --all-groups')
  if (groups.some((group) => group === '')) throw new UsageError('--group needs a group id, got an empty one')
  return {kind: 'named', groups}
}

/**
 * The partitions a scope selects for one group, sorted by topic and partition. `committed` is what the
 * group has committed offsets for (--all-topics); `partitionCount` is a topic's partition count, or
 * null when the topic does not exist (only asked for --topic scopes). `fromFile` is the file's
 * partitions for the group, which a --topic scope narrows.
 */
export function scopePartitions(scope: ResetScope, committed: readonly TopicPartition[], partitionCount: (topic: string) => number,
  fromFile: readonly TopicPartition[] | null): TopicPartition[] {
  let selected: TopicPartition[]
  if (fromFile !== null) {
    selected = scope.kind === 'topics' ? fromFile.filter((tp) => inTopicScopes(scope.topics, tp)) : [...fromFile]
  } else if (scope.kind === 'all-topics') {
    selected = [...committed]
  } else if (scope.kind === 'topics') {
    selected = scope.topics.flatMap(({topic, partitions}) =>
      (partitions ?? Array.from({length: partitionCount(topic)}, (_, index) => index)).map((partition) => ({topic, partition})))
  } else {
    selected = []
  }
  return sortPartitions(selected)
}

function inTopicScopes(scopes: readonly TopicScope[], {topic, partition}: TopicPartition): boolean {
  return scopes.some((scope) => scope.topic === topic && (scope.partitions === null || scope.partitions.includes(partition)))
}

export function sortPartitions<T extends TopicPartition>(partitions: readonly T[]): T[] {
  return [...partitions].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
}
