import {lagSummaryLines, memberTableLines, offsetTableLines, stateNote, stateTableLines} from './group-describe-format.js'
import {type GroupSnapshot, isDead} from './group-snapshot.js'

/** What `consumer-groups describe` shows: offsets and lag (default), members, or state. */
export type DescribeView = 'offsets' | 'members' | 'state'

/** One rendering of some groups: the data lines (stdout), notes about states (stderr), and groups that do not exist. */
export interface DescribeOutput {
  lines: string[]
  notes: string[]
  missing: string[]
}

/**
 * Lays out the groups in one view. Each group of the offsets and members views is its own block
 * (table, then the lag totals), blocks separated by a blank line; the state view is one table. A
 * group with no active members says so in a note, as kafka-consumer-groups does, and still shows the
 * offsets it has committed.
 */
export function describeOutput(view: DescribeView, snapshots: readonly GroupSnapshot[]): DescribeOutput {
  const missing = snapshots.filter((s) => isDead(s.description)).map((s) => s.description.groupId)
  const live = snapshots.filter((s) => !isDead(s.description))
  const notes = live.map((s) => stateNote(s.description)).filter((note): note is string => note !== null)
  if (view === 'state') return {lines: live.length === 0 ? [] : stateTableLines(live.map((s) => s.description)), notes, missing}
  const blocks = live.map((s) => (view === 'members' ? membersBlock(s) : offsetsBlock(s))).filter((block) => block.length > 0)
  return {lines: blocks.flatMap((block, index) => (index === 0 ? block : ['', ...block])), notes, missing}
}

function offsetsBlock(snapshot: GroupSnapshot): string[] {
  if (snapshot.rows.length === 0) return []
  const summary = lagSummaryLines(snapshot.lag)
  return [...offsetTableLines(snapshot.rows), ...(summary.length === 0 ? [] : ['', ...summary])]
}

function membersBlock(snapshot: GroupSnapshot): string[] {
  return snapshot.description.members.length === 0 ? [] : memberTableLines(snapshot.description)
}

/** Kafka's words for a group the coordinator does not know. */
export function missingGroupMessage(groupId: string): string {
  return `Consumer group '${groupId}' does not exist.`
}
