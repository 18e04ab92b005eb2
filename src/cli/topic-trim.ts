import type {DeleteRecordsResult} from '../client/index.js'
import {errorInfo} from '../protocol/index.js'
import {CliError} from './cli-errors.js'
import type {OffsetSpec} from './offsets-spec.js'
import {type LogBounds, type OffsetLookup, startPositions} from './partition-positions.js'
import {formatTable} from './table.js'

/**
 * The new log start offset of each partition for `topics trim --before POINT`: the first record kept.
 * A time keeps the first record at or after it (none: every record goes); -N keeps the last N records;
 * an offset below a partition's log start leaves it as it is, and one past its end is refused before
 * anything is deleted, rather than trimming some partitions and failing on others.
 */
export async function trimTargets(lookup: OffsetLookup, topic: string, bounds: LogBounds, spec: OffsetSpec): Promise<Map<number, number>> {
  if (spec.kind === 'offset') {
    for (const [partition, end] of bounds.end) {
      if (end < spec.offset) {
        // A well-formed point the log has not reached: a failure (exit 1), not a usage error.
        throw new CliError(`${topic}/${partition} ends at offset ${end}, before ${spec.offset}`,
          {code: 'WEIR_ERR_OFFSET_PAST_END', hint: 'trim everything with --before end'})
      }
    }
  }
  return (await startPositions(lookup, topic, bounds, spec)).positions
}

/** What goes, in words, for the confirmation question. */
export function trimmedRecords(spec: OffsetSpec): string {
  switch (spec.kind) {
    case 'earliest':
      return 'no records'
    case 'latest':
      return 'every record'
    case 'offset':
      return `the records before offset ${spec.offset}`
    case 'before-end':
      return `all but the last ${spec.count} records`
    case 'time':
      return `the records before ${new Date(spec.timestamp).toISOString()}`
  }
}

/** One partition's outcome, as printed and as --json gives it. */
export interface TrimmedPartition {
  partition: number
  priorStartOffset: number
  /** null when it failed. */
  newStartOffset: number | null
  /** The Kafka error name when it failed. */
  error: string | null
}

export function trimmedPartitions(results: readonly DeleteRecordsResult[], bounds: LogBounds): TrimmedPartition[] {
  return results.map(({partition, errorCode, lowWatermark}) => ({
    partition,
    priorStartOffset: bounds.start.get(partition) ?? 0,
    newStartOffset: errorCode === 0 ? lowWatermark : null,
    error: errorCode === 0 ? null : errorInfo(errorCode).name,
  }))
}

/** rpk trim-prefix's table, with an ERROR column only when a partition failed. */
export function trimTableLines(topic: string, partitions: readonly TrimmedPartition[]): string[] {
  const failed = partitions.some((p) => p.error !== null)
  const header = ['TOPIC', 'PARTITION', 'PRIOR-START-OFFSET', 'NEW-START-OFFSET', ...(failed ? ['ERROR'] : [])]
  const rows = partitions.map((p) => [topic, String(p.partition), String(p.priorStartOffset), p.newStartOffset === null ? '-' : String(p.newStartOffset),
    ...(failed ? [p.error ?? ''] : [])])
  return formatTable(header, rows)
}
