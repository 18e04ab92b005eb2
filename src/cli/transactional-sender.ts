// `weir produce --transactional-id`: the input written in transactions of a fixed number of records. The
// pipeline (produce-pipeline.ts) hands records over a slice of input at a time and only waits between
// slices, so a transaction cannot end the moment its last record is sent: records past the end of the
// open transaction are held (at most one slice of them, copied, their bytes still views of the input) and
// send() says "wait"; drain() then commits and replays them into the next transaction. A transaction
// begins with its first record, so an empty input commits nothing.
import type {OutgoingRecord} from '../client/index.js'
import type {RecordSender} from './produce-pipeline.js'

/** Records per transaction unless --transaction-size says otherwise: large enough that the commit's cost
 * (markers on every partition, a round trip to the coordinator) stays small against the records. */
export const DEFAULT_TRANSACTION_SIZE = 10_000

/** The part of the client's Producer this sender drives. */
export interface TransactionalProducer extends RecordSender {
  beginTransaction(): void
  commitTransaction(): Promise<void>
  abortTransaction(): Promise<void>
}

export class TransactionalSender implements RecordSender {
  /** Records of committed transactions, and how many transactions that took. */
  committed = 0
  transactions = 0
  /** Records sent in the open transaction (0: none open). */
  private inTransaction = 0
  private readonly held: OutgoingRecord[] = []
  /** Set on a signal: no transaction is begun or committed any more. */
  private stopped = false
  /** The commit under way, which an abort waits for. */
  private committing: Promise<void> | null = null

  constructor(
    private readonly producer: TransactionalProducer,
    private readonly size: number,
  ) {}

  /** Whether a transaction is open (records sent and not yet committed). */
  get open(): boolean {
    return this.inTransaction > 0
  }

  /** No further transaction is begun or committed; records handed over afterwards are dropped. */
  stop(): void {
    this.stopped = true
    this.held.length = 0
  }

  send(record: OutgoingRecord): boolean {
    if (this.stopped) return true
    if (this.inTransaction === this.size || this.held.length > 0) {
      this.held.push({...record}) // the pipeline fills the same object again for its next line
      return false
    }
    return this.sendNow(record) && this.inTransaction < this.size
  }

  /** Commits a full transaction and replays held records into the next ones, then waits for the producer's buffer. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return
      if (this.inTransaction === this.size) await this.commit()
      while (this.held.length > 0 && this.inTransaction < this.size) this.sendNow(this.held.shift()!)
      await this.producer.drain()
      if (this.held.length === 0 && this.inTransaction < this.size) return
    }
  }

  /** At the end of input: the last transaction committed. */
  async finish(): Promise<void> {
    await this.drain()
    if (this.open && !this.stopped) await this.commit()
  }

  /** On an error or a signal: the open transaction aborted (its records never visible to read_committed readers). */
  /** Whether a transaction was open (true also when its abort failed). */
  async abort(): Promise<boolean> {
    this.held.length = 0
    await this.committing?.catch(() => undefined) // a commit under way ends first: committed, or to be aborted
    if (!this.open) return false
    this.inTransaction = 0
    await this.producer.abortTransaction()
    return true
  }

  private sendNow(record: OutgoingRecord): boolean {
    if (this.stopped) return true
    if (this.inTransaction === 0) this.producer.beginTransaction()
    this.inTransaction++
    return this.producer.send(record)
  }

  private async commit(): Promise<void> {
    this.committing = this.producer.commitTransaction()
    try {
      await this.committing
    } finally {
      this.committing = null
    }
    this.committed += this.inTransaction
    this.transactions++
    this.inTransaction = 0
  }
}
