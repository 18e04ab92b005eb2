/**
 * Producer id blocks: the ranges of producer ids the daemon hands out (to InitProducerId, through
 * the transaction coordinator), `<dataDir>/producer-id-block`, a text file in the form of the other
 * checkpoints:
 *
 *   0          format version
 *   12000      the first id not yet handed out
 *
 * A block is written (atomic-file.ts: a temporary file, synced, renamed over the old one, the
 * directory synced) before any of its ids is handed out, so no id is ever issued twice, whatever
 * the crash: after one, the ids of a block handed out but unused are skipped, as in Kafka. Calls
 * run one after another. Ids start at 0 and stay far below 2^53, so numbers hold them exactly.
 * An unreadable file refuses to guess: the open fails (a reused id would mix two producers' state).
 */
import {join} from 'node:path'
import {writeFileAtomic} from './atomic-file.js'
import {CorruptMetadataError, StorageError} from './errors.js'
import {type Fs} from './fs.js'

export const PRODUCER_ID_BLOCK_FILE = 'producer-id-block'
const VERSION = '0'

export interface ProducerIdBlock {
  first: number
  last: number
}

export class ProducerIdBlocks {
  private next: number
  private chain: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly fs: Fs,
    private readonly path: string,
    next: number,
  ) {
    this.next = next
  }

  /** Reads the checkpoint of `dataDir` (none: ids start at 0); CorruptMetadataError when it cannot be read. */
  static open(fs: Fs, dataDir: string): ProducerIdBlocks {
    const path = join(dataDir, PRODUCER_ID_BLOCK_FILE)
    if (!fs.exists(path)) return new ProducerIdBlocks(fs, path, 0)
    const lines = fs.readFile(path).toString('utf8').split('\n')
    const next = Number(lines[1])
    if (lines[0] !== VERSION || lines[1] === undefined || !/^\d+$/.test(lines[1]) || !Number.isSafeInteger(next)) {
      throw new CorruptMetadataError(`${path}: not a producer id block checkpoint; producer ids cannot be handed out safely`)
    }
    return new ProducerIdBlocks(fs, path, next)
  }

  /** The next `count` ids, durable before they are returned. */
  allocate(count: number): Promise<ProducerIdBlock> {
    if (!Number.isSafeInteger(count) || count < 1) return Promise.reject(new StorageError(`a producer id block needs a positive count, not ${count}`))
    const run = this.chain.then(async () => {
      const first = this.next
      const last = first + count - 1
      await writeFileAtomic(this.fs, this.path, Buffer.from(`${VERSION}\n${last + 1}\n`))
      this.next = last + 1
      return {first, last}
    })
    this.chain = run.catch(() => undefined)
    return run
  }
}
