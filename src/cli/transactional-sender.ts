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

  constructor(
    private readonly producer: TransactionalProducer,
    private readonly size: number,
  ) {}

  /** Whether a transaction is open (records sent and not yet committed). */
  get open(): boolean {
    return this.inTransaction > 0
  }

  send(record: OutgoingRecord): boolean {
    if (this.inTransaction === this.size || this.held.length > 0) {
      this.held.push({...record}) // the pipeline fills the same object again for its next line
      return false
    }
    return this.sendNow(record) && this.inTransaction < this.size
  }

  /** Commits a full transaction and replays held records into the next ones, then waits for the producer's buffer. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.inTransaction === this.size) await this.commit()
      while (this.held.length > 0 && this.inTransaction < this.size) this.sendNow(this.held.shift()!)
      await this.producer.drain()
      if (this.held.length === 0 && this.inTransaction < this.size) return
    }
  }

  /** At the end of input: the last transaction committed. */
  async finish(): Promise<void> {
    await this.drain()
    if (this.open) await this.commit()
  }

  /** On an error or a signal: the open transaction aborted (its records never visible to read_committed readers). */
  async abort(): Promise<void> {
    this.held.length = 0
    if (!this.open) return
    this.inTransaction = 0
    await this.producer.abortTransaction()
  }

  private sendNow(record: OutgoingRecord): boolean {
    if (this.inTransaction === 0) this.producer.beginTransaction()
    this.inTransaction++
    return this.producer.send(record)
  }

  private async commit(): Promise<void> {
    await this.producer.commitTransaction()
    this.committed += this.inTransaction
    this.transactions++
    this.inTransaction = 0
  }
}
