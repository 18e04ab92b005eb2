// Test helper: an Fs whose fdatasyncs wait until the test lets them finish, so a test can act
// while a sync is running.
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'

export class HeldSyncFs extends FaultInjectingFs {
  private readonly waiting: (() => void)[] = []
  private syncArrived: (() => void) | undefined
  private holding = true

  override async datasync(fd: number): Promise<void> {
    if (this.holding) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve)
        this.syncArrived?.()
      })
    }
    await super.datasync(fd)
  }

  /** Resolves once a sync is waiting. */
  async syncWaiting(): Promise<void> {
    if (this.waiting.length > 0) return
    await new Promise<void>((resolve) => (this.syncArrived = resolve))
  }

  /** Lets the waiting syncs finish; later ones run at once. */
  releaseSyncs(): void {
    this.holding = false
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}
