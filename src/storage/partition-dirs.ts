/**
 * PartitionDirs: the partition directories of a data directory, as the log manager creates,
 * retires and tidies them (names in log-file-names.ts).
 *
 * A retired directory (a deleted topic's, or one no topic owns) is renamed to
 * `<topic>-<partition>.<id>-delete` first, which frees its name at once, and removed in the
 * background (background-removal.ts). Only directories that hold nothing but segment (and producer snapshot) files are
 * ever removed: a name that merely looks like a partition's is left alone.
 */
import {join} from 'node:path'
import {type BackgroundRemoval} from './background-removal.js'
import {StorageError} from './errors.js'
import {type Fs} from './fs.js'
import {deletedPartitionDirName, isDeletedPartitionDirName, parsePartitionDirName, parseSegmentFileName, parseSnapshotFileName, partitionDirName} from './log-file-names.js'
import {type Logger} from './logger.js'

export class PartitionDirs {
  constructor(
    private readonly fs: Fs,
    private readonly dataDir: string,
    private readonly logger: Logger,
    private readonly removals: BackgroundRemoval,
  ) {}

  pathOf(topic: string, partition: number): string {
    return join(this.dataDir, partitionDirName(topic, partition))
  }

  /** Renames a partition directory to a fresh '-delete' name, freeing its own, and starts removing it. */
  retire(dir: string, topic: string, partition: number): void {
    this.removals.start(this.renameForRemoval(dir, topic, partition))
  }

  /** Renames a partition directory to a fresh '-delete' name, freeing its own; returns the new path. */
  renameForRemoval(dir: string, topic: string, partition: number): string {
    const doomed = join(this.dataDir, deletedPartitionDirName(topic, partition))
    this.fs.rename(dir, doomed)
    return doomed
  }

  /**
   * Hands the background removal what interrupted creates, deletes and removals left: partition
   * directories `isLive` does not claim (renamed first, like a delete's) and '-delete' directories.
   */
  removeLeftovers(isLive: (topic: string, partition: number) => boolean, skip: string): void {
    for (const entry of this.fs.list(this.dataDir)) {
      if (!entry.isDirectory || entry.name === skip) continue
      const dir = join(this.dataDir, entry.name)
      if (isDeletedPartitionDirName(entry.name)) {
        if (!this.holdsOnlySegments(dir)) continue
        this.logger(`${dir}: left by a topic deletion; removing it`)
        this.removals.start(dir)
        continue
      }
      const parsed = parsePartitionDirName(entry.name)
      if (!parsed || isLive(parsed.topic, parsed.partition) || !this.holdsOnlySegments(dir)) continue
      this.logger(`${dir}: partition directory of no topic (an interrupted create or delete); removing it`)
      this.retire(dir, parsed.topic, parsed.partition)
    }
  }

  /** A partition directory in the way of a create (its delete failed halfway) is removed first. */
  async removeStale(dir: string): Promise<void> {
    if (!this.fs.exists(dir)) return
    if (!this.holdsOnlySegments(dir)) throw new StorageError(`${dir} exists and holds files that are not a partition log`)
    this.logger(`${dir}: leftover partition directory; removed`)
    await this.fs.removeTree(dir)
  }

  private holdsOnlySegments(dir: string): boolean {
    return this.fs.list(dir).every((entry) => !entry.isDirectory && (parseSegmentFileName(entry.name) !== undefined || parseSnapshotFileName(entry.name) !== undefined))
  }
}
