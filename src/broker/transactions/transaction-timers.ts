/**
 * The transaction coordinator's periodic work, as Kafka schedules it: every
 * transaction.abort.timed.out.transaction.cleanup.interval.ms the transactions open past their
 * timeout are aborted (and markers that failed before are written again); every
 * transaction.remove.expired.transaction.cleanup.interval.ms the transactional ids unused for
 * transactional.id.expiration.ms are forgotten. A pass starts only after the previous one ended.
 */
import type {TransactionSettings} from '../broker-settings.js'
import {TimerSlot, type GroupScheduler} from '../groups/group-timers.js'

/** What the timers drive: TransactionCoordinator. */
export interface TimedTransactionWork {
  abortTimedOut(): Promise<number>
  retryCompletions(): Promise<void>
  expireTransactionalIds(): Promise<number>
}

export class TransactionTimers {
  private readonly abortSlot = new TimerSlot()
  private readonly expirySlot = new TimerSlot()
  private running = false

  constructor(private readonly work: TimedTransactionWork, private readonly settings: TransactionSettings,
    private readonly scheduler: GroupScheduler, private readonly log: (line: string) => void) {}

  start(): void {
    if (this.running) return
    this.running = true
    this.every(this.abortSlot, this.settings.abortTimedOutIntervalMs, async () => {
      await this.work.abortTimedOut()
      await this.work.retryCompletions()
    })
    this.every(this.expirySlot, this.settings.removeExpiredIntervalMs, async () => void await this.work.expireTransactionalIds())
  }

  stop(): void {
    this.running = false
    this.abortSlot.cancel()
    this.expirySlot.cancel()
  }

  private every(slot: TimerSlot, intervalMs: number, pass: () => Promise<void>): void {
    slot.set(this.scheduler, intervalMs, () => {
      pass().catch((error: unknown) => this.log(`transaction coordinator task failed: ${(error as Error).stack ?? String(error)}`))
        .finally(() => {
          if (this.running) this.every(slot, intervalMs, pass)
        })
    })
  }
}
