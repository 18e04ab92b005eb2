/**
 * Damaged regions: bytes of a segment's .log that are not a valid batch where one must be (a
 * failed length, header or CRC check, or offsets going backwards), found by recovery, by an index
 * check or rebuild, or by a read. No byte format of its own: a region is a range of the .log,
 * kept in memory by its segment, found again by the next process that reads there.
 *
 * Below the recovery point such bytes were flushed, so they are corruption, not a torn write:
 * they are kept (never truncated, so that nothing after them is lost), reported (corruption-log.ts)
 * and never served. How reads get past them, the choice made here:
 *
 * - A region ends where the next valid batch starts (resync-scan.ts): the first position after
 *   the defect holding a whole frame with a plausible header, offsets at or above those the
 *   damaged bytes must hold, a valid CRC-32C, and either the end of the segment or another
 *   plausible header right after it. The claimed end of the damaged batch is tried first, so a
 *   bit flip inside a batch costs one check; a damaged length costs a scan of the bytes after it.
 *   The offset index is not trusted for this: it may be what is damaged, and it only points at
 *   every ~4 KiB of log, so it would lose the batches between.
 * - Every scan of the segment (recovery, index checks and rebuilds, reads) steps over a known
 *   region to its end; index rebuilds index the batches after it, so later reads find them
 *   directly. The region's bytes count towards index.interval.bytes as a batch's would.
 * - A read at an offset the region holds (at or above its first offset, below the next valid
 *   batch's base offset, or to the segment's end when none follows) throws DamagedRegionError, a
 *   CorruptLogError (CORRUPT_MESSAGE): the reader knows where its data stopped and may seek past.
 *   A read that starts before the region serves the batches before it and stops there.
 * - Lookups by time step over regions: the records in them cannot be served, so the first valid
 *   batch after is the answer.
 *
 * A valid batch directly followed by more damage fails the resync check and is counted into the
 * region: never served, rather than risking serving a batch-shaped run of bytes inside a record.
 */
import {basename} from 'node:path'
import {CorruptLogError} from './errors.js'
import {type RecoveryDefect} from './segment-walk.js'

export interface DamagedRegion {
  /** the segment's .log file */
  logPath: string
  /** byte position where the defect was found */
  position: number
  /** byte position of the next valid batch, or the end of the .log when none follows */
  end: number
  /** the offset the damaged bytes start at: the one after the last valid batch before them */
  firstOffset: number
  kind: RecoveryDefect
}

/** What a read that lands in a damaged region throws. */
export class DamagedRegionError extends CorruptLogError {
  constructor(
    readonly region: DamagedRegion,
    /** "topic-partition", when known */
    where?: string,
  ) {
    super(`${where === undefined ? '' : `${where}: `}corrupt batch at offset ${region.firstOffset} (${describeRegion(region)})`)
  }
}

/** One line saying where a region is and what is wrong with it. */
export function describeRegion(region: DamagedRegion): string {
  const bytes = region.end - region.position
  return `${region.kind}: ${bytes} byte${bytes === 1 ? '' : 's'} at byte ${region.position} of ${basename(region.logPath)}, kept in the file`
}

/** How a walk over a segment treats damage: known regions are stepped over, a new defect becomes one or ends the walk. */
export interface DamageHandling {
  known(position: number): DamagedRegion | undefined
  /** the region a new defect starts (recorded and reported), or undefined: the walk ends at the defect */
  onDefect(kind: RecoveryDefect, position: number, expectedOffset: number): DamagedRegion | undefined
}
