import {CliError} from './cli-errors.js'
import type {TopicPartition} from './offset-reset-scope.js'
import type {ResetSpec} from './offset-reset-spec.js'

/** What planning needs to know of one partition for one group. */
export interface PartitionFacts {
  /** The log start and end offsets. */
  start: number
  end: number
  /** The group's committed offset, null without a commit. */
  committed: number | null
  /** For a time: the first offset at or after it, -1 when no record is that recent. */
  atTime?: number
  /** For --from-file: the offset the file asks for. */
  requested?: number
}

/** One row of the plan: where a group's offset for a partition goes. */
export interface PlannedOffset extends TopicPartition {
  group: string
  offset: number
  /** The offset committed before the reset, null without a commit. */
  currentOffset: number | null
}

export interface GroupPlan {
  offsets: PlannedOffset[]
  /** Targets moved into the log, in words, for stderr. */
  warnings: string[]
}

/**
 * The new offset of each partition, as kafka-consumer-groups computes it: earliest/latest are the log
 * start/end; a time is the first record at or after it (the log end when there is none); --to-current
 * keeps a committed offset and uses the log end without one; --to-offset, --shift-by and --from-file
 * are clamped into [log start, log end] with a warning. --shift-by needs a committed offset to shift.
 */
export function planGroupReset(group: string, spec: ResetSpec, partitions: readonly TopicPartition[],
  factsOf: (partition: TopicPartition) => PartitionFacts): GroupPlan {
  const warnings: string[] = []
  const offsets = partitions.map((tp): PlannedOffset => {
    const facts = factsOf(tp)
    const target = (requested: number): number => clamped(group, tp, requested, facts, warnings)
    return {group, ...tp, offset: newOffset(group, spec, tp, facts, target), currentOffset: facts.committed}
  })
  return {offsets, warnings}
}

function newOffset(group: string, spec: ResetSpec, tp: TopicPartition, facts: PartitionFacts, target: (requested: number) => number): number {
  switch (spec.kind) {
    case 'earliest':
      return facts.start
    case 'latest':
      return facts.end
    case 'current':
      return facts.committed ?? facts.end
    case 'time':
      return facts.atTime === undefined || facts.atTime < 0 ? facts.end : facts.atTime
    case 'offset':
      return target(spec.offset)
    case 'shift':
      if (facts.committed === null) {
        throw new CliError(`cannot shift the offset of ${tp.topic}/${tp.partition} for group '${group}': it has no committed offset`,
          {code: 'WEIR_ERR_NO_COMMITTED_OFFSET', hint: 'reset it with --to-earliest, --to-latest or --to-offset first, or leave it out of --topic'})
      }
      return target(facts.committed + spec.by)
    case 'file':
      if (facts.requested === undefined) throw new Error(`no offset from the file for ${tp.topic}/${tp.partition}`)
      return target(facts.requested)
  }
}

/** `requested` moved into [start, end], with a warning when it had to move. */
function clamped(group: string, tp: TopicPartition, requested: number, facts: PartitionFacts, warnings: string[]): number {
  if (requested > facts.end) {
    warnings.push(`new offset ${requested} for ${tp.topic}/${tp.partition} of group '${group}' is past its log end offset; it will be set to ${facts.end}.`)
    return facts.end
  }
  if (requested < facts.start) {
    warnings.push(`new offset ${requested} for ${tp.topic}/${tp.partition} of group '${group}' is below its log start offset; it will be set to ${facts.start}.`)
    return facts.start
  }
  return requested
}
