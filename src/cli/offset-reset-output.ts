import {ErrorCode, errorInfo} from '../protocol/index.js'
import type {PlannedOffset} from './offset-reset-plan.js'
import {partitionKey} from './offset-reset-scope.js'
import {formatTable} from './table.js'

/** One row of the printed plan, and of --json: a planned offset and, once committed, how that went. */
export interface ResetOffsetRow extends PlannedOffset {
  /** The Kafka error name when committing it failed; null otherwise (and in a dry run). */
  error: string | null
}

/** What `consumer-groups reset-offsets --json` prints. */
export interface ResetOffsetsResult {
  /** false for a dry run: nothing was committed. */
  executed: boolean
  offsets: ResetOffsetRow[]
  /** Targets moved into the log (stderr shows them without --json). */
  warnings: string[]
}

/** The plan's rows before anything is committed. */
export function plannedRows(offsets: readonly PlannedOffset[]): ResetOffsetRow[] {
  return offsets.map((offset) => ({...offset, error: null}))
}

/** The plan's rows with the error codes the commit answered for each partition. */
export function committedRows(offsets: readonly PlannedOffset[],
  answers: readonly {group: string; topic: string; partition: number; errorCode: number}[]): ResetOffsetRow[] {
  const codes = new Map(answers.map((answer) => [`${answer.group}\n${partitionKey(answer.topic, answer.partition)}`, answer.errorCode]))
  return offsets.map((offset) => {
    // A partition the coordinator did not answer for was not committed.
    const code = codes.get(`${offset.group}\n${partitionKey(offset.topic, offset.partition)}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR
    return {...offset, error: code === 0 ? null : errorInfo(code).name}
  })
}

/** kafka-consumer-groups' table GROUP TOPIC PARTITION NEW-OFFSET, with an ERROR column only when a commit failed. */
export function resetTableLines(rows: readonly ResetOffsetRow[]): string[] {
  const failed = rows.some((row) => row.error !== null)
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET', ...(failed ? ['ERROR'] : [])]
  return formatTable(header, rows.map((row) => [row.group, row.topic, String(row.partition), String(row.offset),
    ...(failed ? [row.error ?? ''] : [])]))
}
