/**
 * What a read-back partition says about durability: set against the records the producers were told
 * were acknowledged (after kill -9), or against the partition as it was read before injected damage.
 * Findings are collected, not thrown, so that the crash loop can count them over many cycles and a
 * test can print all of them at once.
 */
import {type Acknowledged} from './crash-producers.js'
import {type LoggedRecord, type PartitionRead} from './crash-log-reader.js'

export interface Verdict {
  /** acknowledged records (or, after damage, records that had to survive) missing from the log */
  lost: string[]
  /** records found at another offset than the one acknowledged (or held before the damage) */
  misplaced: string[]
  /** values found at more than one offset */
  duplicates: string[]
  /** offsets between the log start and the high watermark that no record holds */
  holes: number[]
  /** weir produce runs whose records are not in input order */
  outOfOrder: string[]
  /** served batches that failed their CRC check, and why the read stopped early */
  corrupt: string[]
}

const SHOWN = 5

export function emptyVerdict(): Verdict {
  return {lost: [], misplaced: [], duplicates: [], holes: [], outOfOrder: [], corrupt: []}
}

export function isClean(verdict: Verdict): boolean {
  return Object.values(verdict).every((findings: unknown[]) => findings.length === 0)
}

/** One line per kind of finding, with the first few of each. */
export function describeVerdict(verdict: Verdict): string {
  return Object.entries(verdict)
    .filter(([, findings]) => (findings as unknown[]).length > 0)
    .map(([kind, findings]) => `${kind}: ${(findings as unknown[]).length} (${(findings as unknown[]).slice(0, SHOWN).join('; ')})`)
    .join('\n')
}

/** The checks that need nothing but the read itself: holes, duplicates, CRC failures, early stops. */
function shapeOf(read: PartitionRead): {verdict: Verdict; offsetsByValue: Map<string, number[]>} {
  const verdict = emptyVerdict()
  let expected = read.logStartOffset
  for (const {offset} of read.records) {
    for (; expected < offset && verdict.holes.length < 1000; expected++) verdict.holes.push(expected)
    expected = offset + 1
  }
  if (read.stoppedAt === undefined) {
    for (; expected < read.highWatermark && verdict.holes.length < 1000; expected++) verdict.holes.push(expected)
  } else {
    verdict.corrupt.push(`read stopped at offset ${read.stoppedAt.offset}: ${read.stoppedAt.reason}`)
  }
  for (const base of read.corruptBatches) verdict.corrupt.push(`batch at ${base} served with a bad CRC`)
  const offsetsByValue = new Map<string, number[]>()
  for (const {offset, value} of read.records) {
    const offsets = offsetsByValue.get(value)
    if (offsets) offsets.push(offset)
    else offsetsByValue.set(value, [offset])
  }
  for (const [value, offsets] of offsetsByValue) {
    if (offsets.length > 1) verdict.duplicates.push(`${value.slice(0, 24)} at ${offsets.join(',')}`)
  }
  return {verdict, offsetsByValue}
}

/** After kill -9: every acknowledged record is there once, at its acknowledged offset. */
export function judgeAcknowledged(read: PartitionRead, acked: readonly Acknowledged[], orderedRuns: readonly string[][]): Verdict {
  const {verdict, offsetsByValue} = shapeOf(read)
  for (const {value, offset, producer} of acked) {
    const found = offsetsByValue.get(value)
    if (!found) verdict.lost.push(`${producer} ${value.slice(0, 24)} acknowledged at ${offset ?? '(no offset reported)'}`)
    else if (offset !== undefined && !found.includes(offset)) verdict.misplaced.push(`${producer} ${value.slice(0, 24)} acknowledged at ${offset}, found at ${found.join(',')}`)
  }
  for (const run of orderedRuns) {
    const offsets = run.map((value) => offsetsByValue.get(value)?.[0] ?? -1)
    if (offsets.some((offset, i) => i > 0 && offset <= offsets[i - 1]!)) verdict.outOfOrder.push(`${run[0]!.slice(0, 24)}..: offsets ${offsets.slice(0, 5).join(',')}..`)
  }
  return verdict
}

/**
 * After injected damage: the records below `survivingEnd` are exactly those read before the damage,
 * at the same offsets, and the partition holds nothing it did not hold before.
 */
export function judgeAgainstBefore(read: PartitionRead, before: readonly LoggedRecord[], survivingEnd: number): Verdict {
  const {verdict} = shapeOf(read)
  const now = new Map(read.records.map((record) => [record.offset, record.value]))
  const held = new Map(before.map((record) => [record.offset, record.value]))
  for (const {offset, value} of before) {
    if (offset >= survivingEnd) break
    const found = now.get(offset)
    if (found === undefined) verdict.lost.push(`offset ${offset} (${value.slice(0, 24)})`)
    else if (found !== value) verdict.misplaced.push(`offset ${offset} held ${value.slice(0, 24)}, now ${found.slice(0, 24)}`)
  }
  for (const {offset, value} of read.records) {
    if (held.get(offset) !== value) verdict.misplaced.push(`offset ${offset} holds ${value.slice(0, 24)}, not in the log before`)
  }
  return verdict
}
