/**
 * LogManager: every topic and partition log under one data directory.
 *
 *   <dataDir>/meta/<topic>.json            topic metadata (topic-store.ts)
 *   <dataDir>/<topic>-<partition>/         one partition log each (partition-log.ts)
 *   <dataDir>/recovery-point-checkpoint    flushed offsets (recovery-point-checkpoint.ts), kept current by checkpoint-writer.ts
 *   <dataDir>/log-start-offset-checkpoint  log start offsets (log-start-offset-checkpoint.ts), written when one moves
 *   <dataDir>/cleaner-offset-checkpoint    first dirty offsets of compacted logs (cleaner-offset-checkpoint.ts)
 *   <dataDir>/clean-shutdown               present only between a clean close and the next open (clean-shutdown.ts)
 *   <dataDir>/producer-id-block            the first producer id not yet handed out (producer-id-blocks.ts)
 *
 * Other files in the data directory (the daemon's lock, socket, pid and log) are not storage's
 * and are left alone. A topic exists when its metadata file does: creation writes it after the
 * partition directories, deletion removes it first. Deletion then renames the partition
 * directories to `<topic>-<partition>.<id>-delete`, which frees the name at once, and removes them
 * in the background (background-removal.ts); close waits for removals under way. At open,
 * partition directories without metadata (an interrupted create or delete) and '-delete'
 * directories (an interrupted removal) are removed the same way, but only when they hold nothing
 * except segment files.
 *
 * Retention runs over every log every retentionCheckIntervalMs (retention.ts), one pass at a time,
 * on an unref'd timer; enforceRetention() runs a pass on request. The log cleaner compacts the logs
 * whose cleanup.policy includes compact every cleanerIntervalMs (log-cleaner.ts, log-cleaner-task.ts),
 * in at most cleanerBufferBytes for its offset map; cleanLogs() runs a pass on request. It rewrites
 * compressed batches with the codecs the opener passes as `compression` (cleaner-compression.ts).
 *
 * Descriptors: each partition holds its active segment's three files open; older segments are read
 * through one cache of read descriptors shared by all partitions (read-descriptor-cache.ts), so
 * what storage holds open does not grow with the number of segments.
 *
 * Opening, creating and discarding the partition logs themselves is partition-log-factory.ts's.
 */
import {BackgroundRemoval} from './background-removal.js'
import {DEFAULT_CHECKPOINT_INTERVAL_MS} from './checkpoint-writer.js'
import {clearCleanShutdown, hadCleanShutdown, markCleanShutdown} from './clean-shutdown.js'
import {InvalidPartitionsError, LogOfflineError, TopicExistsError, UnknownTopicError} from './errors.js'
import {type Fs, nodeFileSystem} from './fs.js'
import {logConfigFrom, MIN_SEGMENT_BYTES} from './log-config.js'
import {type Logger, silentLogger} from './logger.js'
import {type LogManagerOptions, type TopicSpec} from './log-manager-options.js'
import {LogCheckpoints, readCheckpoints} from './log-manager-checkpoints.js'
import {type CleaningReport, DEFAULT_CLEANER_BUFFER_BYTES, LogCleaner} from './log-cleaner.js'
import {DEFAULT_CLEANER_INTERVAL_MS, LogCleanerTask} from './log-cleaner-task.js'
import {NameLocks} from './name-locks.js'
import {DEFAULT_RETENTION_CHECK_INTERVAL_MS, RetentionTask} from './retention-task.js'
import {PartitionDirs} from './partition-dirs.js'
import {type CorruptionReport, type PartitionLog} from './partition-log.js'
import {PartitionLogFactory} from './partition-log-factory.js'
import {type ProducerIdBlock, ProducerIdBlocks} from './producer-id-blocks.js'
import {DEFAULT_READ_DESCRIPTORS, ReadDescriptorCache} from './read-descriptor-cache.js'
import {META_DIR, newTopicId, type TopicMetadata, TopicStore, validateTopicName} from './topic-store.js'

export {type LogManagerOptions, type TopicSpec} from './log-manager-options.js'

interface Topic {
  metadata: TopicMetadata
  logs: PartitionLog[]
}

export class LogManager {
  private readonly topicsByName = new Map<string, Topic>()
  private readonly topicsById = new Map<string, Topic>()
  /** names being created or deleted: neither may start again until that finishes */
  private readonly busyNames = new Set<string>()
  private readonly checkpoints: LogCheckpoints
  private readonly retention: RetentionTask
  private readonly removals: BackgroundRemoval
  private readonly dirs: PartitionDirs
  private readonly partitionLogs: PartitionLogFactory
  private readonly topicLocks = new NameLocks()
  private readonly producerIds: ProducerIdBlocks
  private closed = false

  private constructor(
    readonly dataDir: string,
    private readonly fs: Fs,
    private readonly logger: Logger,
    private readonly store: TopicStore,
    private readonly minSegmentBytes: number,
    private readonly readDescriptors: ReadDescriptorCache,
    private readonly defaults: Readonly<Record<string, string>>,
    private readonly cleaner: LogCleanerTask,
    producerIdExpirationMs: number | undefined,
  ) {
    this.producerIds = ProducerIdBlocks.open(fs, dataDir)
    this.checkpoints = new LogCheckpoints(fs, dataDir, () => this.allLogs(), () => cleaner.firstDirtyOffsets(), logger)
    this.removals = new BackgroundRemoval(fs, logger)
    this.dirs = new PartitionDirs(fs, dataDir, logger, this.removals)
    this.retention = new RetentionTask(() => this.allLogs(), logger)
    this.partitionLogs = new PartitionLogFactory({
      fs,
      dataDir,
      logger,
      dirs: this.dirs,
      readDescriptors,
      defaults,
      minSegmentBytes,
      logStartOffsetMoved: () => this.checkpoints.startOffsets.write(),
      adopt: (log, firstDirtyOffset) => cleaner.adopt(log, firstDirtyOffset),
      producerIdExpirationMs,
    })
  }

  /** Opens (creating if needed) the data directory and loads every topic, recovering logs after an unclean stop. */
  static async open(dataDir: string, options: LogManagerOptions = {}): Promise<LogManager> {
    const fs = options.fs ?? nodeFileSystem
    const logger = options.logger ?? silentLogger
    fs.mkdir(dataDir)
    const cleanShutdown = hadCleanShutdown(fs, dataDir)
    const checkpointed = readCheckpoints(fs, dataDir, logger)
    const readDescriptors = new ReadDescriptorCache(fs, options.maxReadDescriptors ?? DEFAULT_READ_DESCRIPTORS)
    const minSegmentBytes = options.minSegmentBytes ?? MIN_SEGMENT_BYTES
    const defaults = {...options.defaults}
    logConfigFrom(defaults, minSegmentBytes)
    const cleaner = new LogCleaner(options.cleanerBufferBytes ?? DEFAULT_CLEANER_BUFFER_BYTES, options.compression, logger)
    const cleanerTask = new LogCleanerTask(cleaner, () => manager.allLogs(), () => manager.checkpoints.cleanerOffsets.write(), logger)
    const manager: LogManager = new LogManager(dataDir, fs, logger, new TopicStore(fs, dataDir), minSegmentBytes, readDescriptors, defaults, cleanerTask,
      options.producerIdExpirationMs)
    try {
      const topics = manager.store.loadAll(logger)
      // a new data directory has no marker either, but nothing to recover
      if (!cleanShutdown && topics.length > 0) logger(`${dataDir}: not closed cleanly; checking each log from its recovery point`)
      for (const metadata of topics) {
        manager.register(metadata, await manager.partitionLogs.openPartitions(metadata, {...checkpointed, cleanShutdown}))
      }
      manager.dirs.removeLeftovers((topic, partition) => partition < (manager.topicsByName.get(topic)?.metadata.partitions ?? 0), META_DIR)
      if (cleanShutdown) await clearCleanShutdown(fs, dataDir)
    } catch (err) {
      await manager.closeLogs()
      await manager.removals.finish()
      throw err
    }
    manager.checkpoints.recoveryPoints.start(options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS)
    manager.retention.start(options.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_INTERVAL_MS)
    manager.cleaner.start(options.cleanerIntervalMs ?? DEFAULT_CLEANER_INTERVAL_MS)
    return manager
  }

  /** Sorted by name. */
  topics(): TopicMetadata[] {
    return [...this.topicsByName.values()].map((topic) => copyOf(topic.metadata)).sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  topic(name: string): TopicMetadata | undefined {
    const topic = this.topicsByName.get(name)
    return topic && copyOf(topic.metadata)
  }

  topicById(topicId: string): TopicMetadata | undefined {
    const topic = this.topicsById.get(topicId)
    return topic && copyOf(topic.metadata)
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topicsByName.get(topic)?.logs[index]
  }

  /**
   * Creates the partition logs, then the metadata that makes the topic exist. Throws
   * InvalidTopicError, InvalidPartitionsError, InvalidConfigError or TopicExistsError.
   */
  async createTopic(spec: TopicSpec): Promise<TopicMetadata> {
    this.throwIfClosed()
    validateTopicName(spec.name)
    if (!Number.isSafeInteger(spec.partitions) || spec.partitions < 1) {
      throw new InvalidPartitionsError(`partitions must be a positive integer, not ${spec.partitions}`)
    }
    const config = logConfigFrom({...this.defaults, ...spec.configs}, this.minSegmentBytes)
    if (this.topicsByName.has(spec.name) || this.busyNames.has(spec.name)) {
      throw new TopicExistsError(`topic '${spec.name}' already exists`)
    }
    this.busyNames.add(spec.name)
    try {
      const logs = await this.partitionLogs.createLogs(spec.name, 0, spec.partitions, config)
      const metadata: TopicMetadata = {
        name: spec.name,
        topicId: this.unusedTopicId(),
        partitions: spec.partitions,
        configs: {...spec.configs},
        createdAt: Date.now(),
      }
      try {
        await this.store.write(metadata)
      } catch (err) {
        await this.partitionLogs.discard(logs)
        throw err
      }
      this.register(metadata, logs)
      // replaces what the checkpoints may still say about an earlier topic of this name
      await this.checkpoints.writeAll()
      return copyOf(metadata)
    } finally {
      this.busyNames.delete(spec.name)
    }
  }

  /**
   * Removes the metadata (the topic stops existing), renames the partition directories out of the
   * way and starts removing them in the background; the name can be created again as soon as this
   * resolves. Throws UnknownTopicError.
   */
  async deleteTopic(name: string): Promise<void> {
    this.throwIfClosed()
    await this.topicLocks.run(name, async () => {
      const topic = this.liveTopic(name)
      this.topicsByName.delete(name)
      this.topicsById.delete(topic.metadata.topicId)
      this.busyNames.add(name)
      try {
        for (const log of topic.logs) await log.close()
        await this.store.remove(name)
        const doomed = topic.logs.map((log) => this.dirs.renameForRemoval(log.dir, log.topic, log.partition))
        await this.fs.syncDir(this.dataDir)
        for (const dir of doomed) this.removals.start(dir)
        await this.checkpoints.writeAll()
      } finally {
        this.busyNames.delete(name)
      }
    })
  }

  /**
   * Throws InvalidConfigError naming the first bad value among the configs storage acts on
   * (STORAGE_CONFIG_NAMES), taken as a topic's overrides over the broker defaults; other names are
   * not looked at. For CreateTopics and AlterConfigs with validateOnly.
   */
  validateConfigs(configs: Record<string, string>): void {
    logConfigFrom({...this.defaults, ...configs}, this.minSegmentBytes)
  }

  /**
   * Replaces the topic's config overrides by `configs` (the whole new set, as AlterConfigs does):
   * validated (InvalidConfigError), written atomically to the topic metadata, then applied to its
   * live logs at once. Throws UnknownTopicError.
   */
  async alterTopicConfigs(name: string, configs: Record<string, string>): Promise<TopicMetadata> {
    this.throwIfClosed()
    return this.topicLocks.run(name, async () => {
      const topic = this.liveTopic(name)
      const config = logConfigFrom({...this.defaults, ...configs}, this.minSegmentBytes)
      const metadata = {...topic.metadata, configs: {...configs}}
      await this.store.write(metadata)
      topic.metadata = metadata
      for (const log of topic.logs) log.updateConfig(config)
      return copyOf(metadata)
    })
  }

  /**
   * Adds partitions to the topic up to `totalCount`, crash safe like createTopic: the new
   * partition logs first, then the metadata. InvalidPartitionsError unless `totalCount` is an
   * integer above the current count; UnknownTopicError.
   */
  async createPartitions(name: string, totalCount: number): Promise<TopicMetadata> {
    this.throwIfClosed()
    return this.topicLocks.run(name, async () => {
      const topic = this.liveTopic(name)
      const current = topic.metadata.partitions
      if (!Number.isSafeInteger(totalCount) || totalCount <= current) {
        throw new InvalidPartitionsError(`topic '${name}' has ${current} partitions; the new count must be an integer above it, not ${totalCount}`)
      }
      const config = this.partitionLogs.configOf(topic.metadata)
      const logs = await this.partitionLogs.createLogs(name, current, totalCount, config)
      const metadata = {...topic.metadata, partitions: totalCount}
      try {
        await this.store.write(metadata)
      } catch (err) {
        await this.partitionLogs.discard(logs)
        throw err
      }
      topic.metadata = metadata
      topic.logs.push(...logs)
      await this.checkpoints.writeAll()
      return copyOf(metadata)
    })
  }

  /**
   * A block of `count` producer ids never handed out before, in this process or an earlier one:
   * recorded on disk before it is returned (producer-id-blocks.ts).
   */
  allocateProducerIds(count: number): Promise<ProducerIdBlock> {
    this.throwIfClosed()
    return this.producerIds.allocate(count)
  }

  /** Every defect found in the logs (batches failing their length or CRC check), by topic and partition. */
  corruptions(): CorruptionReport[] {
    return this.allLogs().flatMap((log) => log.corruptions())
  }

  /**
   * One retention pass over every log (the background task runs this every
   * retentionCheckIntervalMs): rolls active segments idle for segment.ms and deletes the segments
   * retention.ms and retention.bytes expire. `now` is for tests.
   */
  async enforceRetention(now: number = Date.now()): Promise<void> {
    await this.retention.run(now)
  }

  /**
   * One pass of the log cleaner over the compacted logs (the background task runs this every
   * cleanerIntervalMs): cleans each whose dirty ratio, max.compaction.lag.ms or tombstones' delete
   * horizon says so. Resolves to what each cleaning did. `now` is for tests.
   */
  async cleanLogs(now: number = Date.now()): Promise<CleaningReport[]> {
    this.throwIfClosed()
    return this.cleaner.run(now)
  }

  /** Flushes every partition log and records the new recovery points; throws the first flush failure. */
  async flushAll(): Promise<void> {
    this.throwIfClosed()
    const results = await Promise.allSettled(this.allLogs().map((log) => log.flush()))
    await this.checkpoints.recoveryPoints.write()
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failure) throw failure.reason
  }

  /**
   * Flushes, writes the checkpoint, closes every file, then marks the shutdown clean, unless a flush
   * failed: then the next open recovers. Closing twice does nothing.
   */
  async close(): Promise<void> {
    if (this.closed) return
    let failure: unknown
    try {
      await this.flushAll()
    } catch (err) {
      failure = err
    }
    this.closed = true
    await this.retention.stop()
    await this.cleaner.stop()
    await this.checkpoints.stop()
    await this.closeLogs()
    await this.removals.finish()
    if (failure !== undefined) throw failure
    await markCleanShutdown(this.fs, this.dataDir)
  }

  private register(metadata: TopicMetadata, logs: PartitionLog[]): void {
    const topic = {metadata, logs}
    this.topicsByName.set(metadata.name, topic)
    this.topicsById.set(metadata.topicId, topic)
  }

  private allLogs(): PartitionLog[] {
    return [...this.topicsByName.values()].flatMap((topic) => topic.logs)
  }

  private async closeLogs(): Promise<void> {
    for (const log of this.allLogs()) await log.close()
    this.readDescriptors.closeAll()
  }

  private unusedTopicId(): string {
    for (;;) {
      const id = newTopicId()
      if (!this.topicsById.has(id)) return id
    }
  }

  private liveTopic(name: string): Topic {
    const topic = this.topicsByName.get(name)
    if (!topic) throw new UnknownTopicError(`topic '${name}' does not exist`)
    return topic
  }

  private throwIfClosed(): void {
    if (this.closed) throw new LogOfflineError(`the logs in ${this.dataDir} are closed`)
  }
}

function copyOf(metadata: TopicMetadata): TopicMetadata {
  return {...metadata, configs: {...metadata.configs}}
}
