/**
 * BackgroundRemoval: removes the directories of deleted partitions without making anyone wait for
 * it: rm -rf of a large partition is many unlinks. The log manager renames a directory to its
 * '-delete' name (log-file-names.ts) before handing it over, so the partition's own name is free
 * at once. A removal that fails is logged and left as it is: the next open finds the '-delete'
 * directory and starts it again.
 */
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'

export class BackgroundRemoval {
  private readonly running = new Set<Promise<void>>()

  constructor(
    private readonly fs: Fs,
    private readonly logger: Logger,
  ) {}

  start(dir: string): void {
    const removal = this.fs.removeTree(dir).then(
      () => {
        this.running.delete(removal)
      },
      (err: unknown) => {
        this.running.delete(removal)
        this.logger(`${dir}: could not be removed (${(err as Error).message}); the next open tries again`)
      },
    )
    this.running.add(removal)
  }

  /** Resolves once every removal started so far has ended. */
  async finish(): Promise<void> {
    await Promise.all(this.running)
  }
}
