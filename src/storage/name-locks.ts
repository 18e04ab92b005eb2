/**
 * NameLocks: one queue per name, so that changes to one topic's metadata (delete, alter configs,
 * add partitions) run one after another: each reads, then rewrites, the same metadata file, and a
 * change finishing after a delete must not write the file back. Changes to different topics do not
 * wait for each other.
 */
export class NameLocks {
  private readonly tails = new Map<string, Promise<void>>()

  /** Runs `work` once the earlier work under `name` has settled; resolves or rejects as it does. */
  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(name) ?? Promise.resolve()
    const result = before.then(work)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(name, tail)
    try {
      return await result
    } finally {
      if (this.tails.get(name) === tail) this.tails.delete(name)
    }
  }
}
