/**
 * TopicStore: topic metadata, one JSON file per topic, `<dataDir>/meta/<topic>.json`:
 *
 *   {"version":1,"name":"orders","topicId":"q3VqUjB9S3CAl1mJ2mW0xA","partitions":3,
 *    "configs":{"segment.bytes":"1048576"},"createdAt":1732390000000}
 *
 * topicId is 16 random bytes in unpadded base64url (22 characters), as Kafka prints a Uuid. The
 * file is what makes a topic exist: the log manager writes it (atomically) after creating the
 * partition directories, and removes it before removing them, so a crash halfway leaves partition
 * directories without metadata, which the next open removes, and never metadata without logs.
 */
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {removeFileDurably, TEMP_SUFFIX, writeFileAtomic} from './atomic-file.js'
import {CorruptMetadataError, InvalidTopicError} from './errors.js'
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'

export interface TopicMetadata {
  name: string
  /** 22-char base64url of 16 random bytes */
  topicId: string
  partitions: number
  configs: Record<string, string>
  createdAt: number
}

export const META_DIR = 'meta'
const FORMAT_VERSION = 1
const META_SUFFIX = '.json'
/** Kafka's limit: a partition directory name `<topic>-<partition>` must stay a legal file name */
const MAX_TOPIC_NAME_LENGTH = 249
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/
const TOPIC_ID = /^[A-Za-z0-9_-]{22}$/
const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA'

/** Throws InvalidTopicError unless `name` is a legal Kafka topic name (it becomes part of file names). */
export function validateTopicName(name: string): void {
  if (name.length === 0 || name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new InvalidTopicError(`topic name must be 1 to ${MAX_TOPIC_NAME_LENGTH} characters long`)
  }
  if (name === '.' || name === '..') throw new InvalidTopicError(`topic name cannot be '${name}'`)
  if (!TOPIC_NAME.test(name)) {
    throw new InvalidTopicError(`topic name '${name}' may contain only ASCII letters, digits, '.', '_' and '-'`)
  }
}

export function isValidTopicName(name: string): boolean {
  try {
    validateTopicName(name)
    return true
  } catch {
    return false
  }
}

/** A fresh topic id; like Kafka, never the all-zero id and never one starting with '-' (it would read as a flag). */
export function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (id !== ZERO_TOPIC_ID && !id.startsWith('-')) return id
  }
}

export class TopicStore {
  readonly dir: string

  constructor(
    private readonly fs: Fs,
    dataDir: string,
  ) {
    this.dir = join(dataDir, META_DIR)
  }

  /** Every topic's metadata; removes leftovers of interrupted writes; throws CorruptMetadataError for an unreadable file. */
  loadAll(logger: Logger): TopicMetadata[] {
    this.fs.mkdir(this.dir)
    const topics: TopicMetadata[] = []
    for (const entry of this.fs.list(this.dir)) {
      const path = join(this.dir, entry.name)
      if (entry.name.endsWith(TEMP_SUFFIX)) {
        logger(`${path}: leftover of an interrupted write; removed`)
        this.fs.unlink(path)
      } else if (entry.name.endsWith(META_SUFFIX) && !entry.isDirectory) {
        topics.push(parseMetadata(this.fs.readFile(path), entry.name.slice(0, -META_SUFFIX.length), path))
      }
    }
    return topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  async write(topic: TopicMetadata): Promise<void> {
    const document = {version: FORMAT_VERSION, ...topic}
    this.fs.mkdir(this.dir)
    await writeFileAtomic(this.fs, this.pathOf(topic.name), Buffer.from(JSON.stringify(document) + '\n'))
  }

  async remove(name: string): Promise<void> {
    await removeFileDurably(this.fs, this.pathOf(name))
  }

  private pathOf(name: string): string {
    return join(this.dir, name + META_SUFFIX)
  }
}

function parseMetadata(bytes: Buffer, fileTopic: string, path: string): TopicMetadata {
  let document: unknown
  try {
    document = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new CorruptMetadataError(`${path}: not JSON (${(err as Error).message})`)
  }
  const problem = metadataProblem(document, fileTopic)
  if (problem) throw new CorruptMetadataError(`${path}: ${problem}`)
  const {name, topicId, partitions, configs, createdAt} = document as TopicMetadata
  return {name, topicId, partitions, configs: {...configs}, createdAt}
}

function metadataProblem(document: unknown, fileTopic: string): string | undefined {
  if (typeof document !== 'object' || document === null) return 'not an object'
  const fields = document as Record<string, unknown>
  if (fields.version !== FORMAT_VERSION) return `unknown version ${String(fields.version)}`
  if (fields.name !== fileTopic || !isValidTopicName(fileTopic)) return `name ${JSON.stringify(fields.name)} does not match the file name`
  if (typeof fields.topicId !== 'string' || !TOPIC_ID.test(fields.topicId)) return 'topicId is not 22 base64url characters'
  if (!Number.isSafeInteger(fields.partitions) || (fields.partitions as number) < 1) return 'partitions is not a positive integer'
  if (!isStringRecord(fields.configs)) return 'configs is not an object of strings'
  if (!Number.isSafeInteger(fields.createdAt)) return 'createdAt is not a timestamp'
  return undefined
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string')
}
