/**
 * PartitionLogFactory: how the log manager gets a topic's partition logs: opened from their
 * directories at start (recovering them as log-loader.ts describes), created empty for a new topic
 * or new partitions, and discarded again when the creation they belong to fails.
 *
 * Separate from log-manager.ts, which keeps the topics and their lifecycle (create, delete, alter,
 * close) and the background tasks: this is the one place that turns a topic's metadata, the broker
 * defaults and the checkpoints into PartitionLogOptions. The directories are `<topic>-<partition>/`
 * (partition-dirs.ts); what is inside them is partition-log.ts's.
 */
import {type Fs} from './fs.js'
import {type LogConfig, storedLogConfig} from './log-config.js'
import {type CheckpointedOffsets} from './log-manager-checkpoints.js'
import {type Logger} from './logger.js'
import {type PartitionDirs} from './partition-dirs.js'
import {PartitionLog, type PartitionLogOptions} from './partition-log.js'
import {type ReadDescriptorCache} from './read-descriptor-cache.js'
import {partitionKey} from './recovery-point-checkpoint.js'
import {type TopicMetadata} from './topic-store.js'

export interface PartitionLogFactoryOptions {
  fs: Fs
  dataDir: string
  logger: Logger
  dirs: PartitionDirs
  readDescriptors: ReadDescriptorCache
  /** broker defaults, in topic-config names: a topic's own configs win */
  defaults: Readonly<Record<string, string>>
  minSegmentBytes: number
  /** makes a moved log start offset durable (the log manager's checkpoint) */
  logStartOffsetMoved: () => Promise<void>
  /** hands an opened log to the log cleaner with its checkpointed first dirty offset */
  adopt: (log: PartitionLog, firstDirtyOffset: number | undefined) => void
  /** producer.id.expiration.ms; the partition log's default when absent */
  producerIdExpirationMs?: number | undefined
}

export class PartitionLogFactory {
  constructor(private readonly options: PartitionLogFactoryOptions) {}

  async openPartitions(
    metadata: TopicMetadata,
    loaded: CheckpointedOffsets & {cleanShutdown: boolean},
  ): Promise<PartitionLog[]> {
    const {fs, logger, dirs} = this.options
    const config = this.configOf(metadata)
    const logs: PartitionLog[] = []
    try {
      for (let partition = 0; partition < metadata.partitions; partition++) {
        const dir = dirs.pathOf(metadata.name, partition)
        if (!fs.exists(dir)) {
          logger(`${dir}: missing; starting an empty log`)
          fs.mkdir(dir)
        }
        const key = partitionKey(metadata.name, partition)
        const recoveryPoint = loaded.recoveryPoints.get(key) ?? 0
        const logStartOffset = loaded.logStartOffsets.get(key) ?? 0
        const options = {...this.partitionOptions(metadata.name, partition), config, recoveryPoint, logStartOffset, cleanShutdown: loaded.cleanShutdown}
        const log = PartitionLog.open(options)
        this.options.adopt(log, loaded.cleanerOffsets.get(key))
        logs.push(log)
      }
    } catch (err) {
      for (const log of logs) await log.close()
      throw err
    }
    return logs
  }

  /** The topic's log config: its overrides over the broker defaults. */
  configOf(metadata: TopicMetadata): LogConfig {
    const {defaults, minSegmentBytes, logger} = this.options
    return storedLogConfig(metadata.name, {...defaults, ...metadata.configs}, minSegmentBytes, logger)
  }

  /** New empty logs for partitions [from, to) of a topic, their directories synced; none are left behind on failure. */
  async createLogs(topic: string, from: number, to: number, config: LogConfig): Promise<PartitionLog[]> {
    const {fs, dataDir, dirs} = this.options
    const logs: PartitionLog[] = []
    try {
      for (let partition = from; partition < to; partition++) {
        await dirs.removeStale(dirs.pathOf(topic, partition))
        logs.push(await PartitionLog.create({...this.partitionOptions(topic, partition), config}))
      }
      await fs.syncDir(dataDir)
    } catch (err) {
      await this.discard(logs)
      throw err
    }
    return logs
  }

  async discard(logs: PartitionLog[]): Promise<void> {
    for (const log of logs) {
      await log.close()
      await this.options.fs.removeTree(log.dir)
    }
  }

  private partitionOptions(topic: string, partition: number): Omit<PartitionLogOptions, 'config'> {
    const {fs, logger, readDescriptors, logStartOffsetMoved, producerIdExpirationMs} = this.options
    return {
      ...(producerIdExpirationMs !== undefined && {producerIdExpirationMs}),
      fs,
      dir: this.options.dirs.pathOf(topic, partition),
      topic,
      partition,
      logger,
      readDescriptors,
      logStartOffsetMoved,
    }
  }
}
