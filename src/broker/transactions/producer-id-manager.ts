/**
 * Hands out producer ids: to idempotent producers (InitProducerId without a transactional id) and
 * to transactional ids (their first InitProducerId, and a new id when an epoch runs out).
 *
 * Ids come in blocks from the log manager, which persists each block before handing it out, so an
 * id is never issued twice, even across a crash (as Kafka's ProducerIdManager takes blocks from the
 * controller). The ids of a block not used up before a restart are skipped, never reused.
 */

/** What allocates blocks: LogManager.allocateProducerIds. */
export interface ProducerIdSource {
  allocateProducerIds(count: number): Promise<{first: number; last: number}>
}

/** Kafka's block size (ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
export const PRODUCER_ID_BLOCK_SIZE = 1000

export class ProducerIdManager {
  private next = 0
  private last = -1
  /** The block being allocated: concurrent callers wait for the same one. */
  private refill: Promise<void> | undefined

  constructor(private readonly source: ProducerIdSource, private readonly blockSize = PRODUCER_ID_BLOCK_SIZE) {}

  /** A producer id nobody was given before; rejects when no block can be persisted. */
  async generate(): Promise<number> {
    while (this.next > this.last) {
      this.refill ??= this.allocate().finally(() => {
        this.refill = undefined
      })
      await this.refill
    }
    return this.next++
  }

  private async allocate(): Promise<void> {
    const {first, last} = await this.source.allocateProducerIds(this.blockSize)
    if (!(last >= first)) throw new Error(`the log manager allocated an empty block of producer ids (${first}..${last})`)
    this.next = first
    this.last = last
  }
}
