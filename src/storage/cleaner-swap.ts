/**
 * The swap of cleaned segments into a log, Kafka's protocol, crash safe at every step:
 *
 *   1. the cleaned segment is written and synced as `<base>.{log,index,timeindex}.cleaned`
 *      (cleaner-segment-writer.ts);
 *   2. its files are renamed `.cleaned` -> `.swap`, the indexes first and the .log last: the
 *      rename of `<base>.log.swap` is the commit point; the directory is synced;
 *   3. the replaced segments' files are renamed `<name>.deleted` (removed file.delete.delay.ms
 *      later, or by the next open), the `.swap` files take their final names, and the log's list of
 *      segments is changed, in one synchronous step: a read sees the old segments or the new one;
 *   4. the directory is synced.
 *
 * At open (completeSwaps, before the loader looks at segments): every `.cleaned` file is removed (a
 * cleaning that had not committed: the old segments are all there), and so is an index `.swap`
 * without its `<base>.log.swap`. Each `<base>.log.swap` commits: the segments it replaces, those
 * whose base offset lies in [base, the swap's next offset), are removed, and the `.swap` files get
 * their final names. So a kill -9 at any point leaves either the old segments or the new one.
 *
 * One case keeps a part of the old: when cleaning emptied the last segments of a group (every record
 * in them was superseded later in the log), the cleaned segment ends below their base offsets and
 * the open cannot tell them from segments outside the group, so they stay, uncleaned, as in Kafka.
 * That is a valid log (offsets increase; what it holds for each key is what the log held before,
 * since their records were superseded), and the next cleaning removes them.
 */
import {join} from 'node:path'
import {CLEANED_SUFFIX, segmentPaths} from './cleaner-segment-writer.js'
import {type Fs} from './fs.js'
import {parseSegmentFileName} from './log-file-names.js'
import {LogSegment, type SegmentContext} from './log-segment.js'
import {type Logger} from './logger.js'
import {walkSegment} from './segment-walk.js'

export const SWAP_SUFFIX = '.swap'
const LEFTOVER = /^(\d{20})\.(log|index|timeindex)\.(cleaned|swap)$/

/** Step 2: `.cleaned` -> `.swap`, the .log last, then a sync of the directory. */
export async function commitCleaned(fs: Fs, dir: string, baseOffset: number): Promise<void> {
  const cleaned = segmentPaths(dir, baseOffset, CLEANED_SUFFIX)
  const swap = segmentPaths(dir, baseOffset, SWAP_SUFFIX)
  fs.rename(cleaned.index, swap.index)
  fs.rename(cleaned.timeIndex, swap.timeIndex)
  fs.rename(cleaned.log, swap.log)
  await fs.syncDir(dir)
}

/**
 * Step 3, synchronous: replaces `count` segments of `segments` from index `at` (sealed, the first of
 * them based at the swap's base offset) by the committed swap. Returns the paths now named
 * `.deleted`, for their later removal.
 */
export function swapIn(context: SegmentContext, segments: LogSegment[], at: number, count: number): string[] {
  const old = segments.slice(at, at + count)
  const base = (old[0] as LogSegment).baseOffset
  const deleted = old.flatMap((segment) => segment.renameForDeletion())
  installSwap(context.fs, context.dir, base)
  segments.splice(at, count, LogSegment.open(context, base))
  return deleted
}

/** Removes a committed swap that was not swapped in (the log closed first): its old segments stay. */
export function discardSwap(fs: Fs, dir: string, baseOffset: number): void {
  for (const path of Object.values(segmentPaths(dir, baseOffset, SWAP_SUFFIX)).reverse()) if (fs.exists(path)) fs.unlink(path)
}

/**
 * At open, before the segments are listed: finishes committed swaps and removes uncommitted
 * cleanings (header comment). Returns whether it changed the directory.
 */
export function completeSwaps(fs: Fs, dir: string, logger: Logger): boolean {
  const names = fs
    .list(dir)
    .filter((entry) => !entry.isDirectory)
    .map((entry) => entry.name)
  let changed = false
  for (const name of names) {
    const match = LEFTOVER.exec(name)
    if (!match) continue
    const committed = match[3] === 'swap' && names.includes(`${match[1]}.log.swap`)
    if (committed) continue
    logger(`${join(dir, name)}: left by a cleaning that did not commit; removed`)
    fs.unlink(join(dir, name))
    changed = true
  }
  for (const name of names) {
    const match = LEFTOVER.exec(name)
    if (!match || match[2] !== 'log' || match[3] !== 'swap') continue
    finishSwap(fs, dir, Number(match[1]), names, logger)
    changed = true
  }
  return changed
}

function finishSwap(fs: Fs, dir: string, base: number, names: string[], logger: Logger): void {
  const swapLog = segmentPaths(dir, base, SWAP_SUFFIX).log
  const fd = fs.open(swapLog, 'r')
  let next: number
  try {
    next = walkSegment({fs, fd, start: {offset: base, position: 0}, end: fs.size(fd), verifyCrc: false, indexIntervalBytes: 0}).nextOffset
  } finally {
    fs.close(fd)
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name)
    if (!parsed || parsed.deleted || parsed.baseOffset < base || parsed.baseOffset >= next) continue
    fs.unlink(join(dir, name))
  }
  installSwap(fs, dir, base)
  logger(`${join(dir, String(base).padStart(20, '0'))}.log: the cleaned segment of offsets ${base}..${next - 1} swapped in; the segments it replaces removed`)
}

/** `.swap` -> final names, the .log first (an index without its log is a stray the loader removes). */
function installSwap(fs: Fs, dir: string, base: number): void {
  const swap = segmentPaths(dir, base, SWAP_SUFFIX)
  const final = segmentPaths(dir, base)
  fs.rename(swap.log, final.log)
  for (const key of ['index', 'timeIndex'] as const) if (fs.exists(swap[key])) fs.rename(swap[key], final[key])
}
