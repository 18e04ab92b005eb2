/**
 * SegmentDamage: the damaged regions (damaged-region.ts) of one segment, by position, and how its
 * walks and scans treat a defect: find the region it starts (resync-scan.ts), keep it, report it
 * to the partition's corruption log. Regions live in memory; the next process finds them again
 * when it scans or reads there.
 */
import {type DamagedRegion, type DamageHandling} from './damaged-region.js'
import {MAX_RELATIVE_OFFSET} from './offset-index.js'
import {nextValidFrame} from './resync-scan.js'
import {type SegmentContext} from './segment-indexes.js'
import {type RecoveryDefect} from './segment-walk.js'

export class SegmentDamage {
  private readonly regions: DamagedRegion[] = []

  constructor(
    private readonly context: SegmentContext,
    private readonly logPath: string,
    private readonly baseOffset: number,
    private readonly logSize: () => number,
  ) {}

  at(position: number): DamagedRegion | undefined {
    return this.regions.find((region) => region.position === position)
  }

  /** The first region starting after `position`: where a read from there must stop. */
  nextAfter(position: number): DamagedRegion | undefined {
    return this.regions.find((region) => region.position > position)
  }

  list(): readonly DamagedRegion[] {
    return this.regions
  }

  /** Forgets the regions at or after `position`: the log was cut there. */
  dropFrom(position: number): void {
    const kept = this.regions.filter((region) => region.position < position)
    this.regions.splice(0, this.regions.length, ...kept)
  }

  /**
   * How walks treat damage. A defect where the log holds offsets below `keepBelow` becomes a kept,
   * reported region; at or above it the walk stops there (recovery cuts it). With `cutTornEnd` (the
   * recovery of a last segment) a batch torn by the end of the file stops the walk too: nothing
   * after it to keep.
   */
  handling(fd: number, keepBelow: number, cutTornEnd: boolean): DamageHandling {
    return {
      known: (position) => this.at(position),
      onDefect: (kind, position, expectedOffset) => {
        if (expectedOffset >= keepBelow) return undefined
        const region = this.find(fd, kind, position, expectedOffset)
        if (cutTornEnd && region.kind === 'torn' && region.end === this.logSize()) return undefined
        this.keep(region)
        return region
      },
    }
  }

  /** The region a defect at `position` starts, kept and reported (the known one when there is one). */
  keepAt(fd: number, kind: RecoveryDefect, position: number, expectedOffset: number): DamagedRegion {
    const known = this.at(position)
    if (known) return known
    const region = this.find(fd, kind, position, expectedOffset)
    this.keep(region)
    return region
  }

  private keep(region: DamagedRegion): void {
    if (this.at(region.position)) return
    this.regions.push(region)
    this.regions.sort((a, b) => a.position - b.position)
    this.context.corruption.reportRegion(region)
  }

  /** The region from a defect at `position` to the next valid batch or the end. */
  private find(fd: number, kind: RecoveryDefect, position: number, expectedOffset: number): DamagedRegion {
    const bounds = {end: this.logSize(), minOffset: expectedOffset, maxOffset: this.baseOffset + MAX_RELATIVE_OFFSET}
    const end = nextValidFrame(this.context.fs, fd, position, bounds)
    return {logPath: this.logPath, position, end, firstOffset: expectedOffset, kind}
  }
}
