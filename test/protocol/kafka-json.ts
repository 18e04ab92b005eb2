import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * Kafka's own message definitions (reference data outside the repository): the directory named by
 * KAFKA_MESSAGES_DIR, else shared/kafka-messages beside the repository or beside any folder above it
 * (a checkout may sit a few levels below the shared reference data).
 */
export interface KafkaField {
  name: string
  type: string
  /** Absent from some tagged fields, whose versions are then their tagged versions (as Kafka reads it). */
  versions?: string
  nullableVersions?: string
  taggedVersions?: string
  tag?: number
  default?: string | number | boolean
  fields?: KafkaField[]
}

export interface KafkaMessage {
  /** Absent from data schemas (consumer protocol, __consumer_offsets records). */
  apiKey?: number
  type: string
  name: string
  validVersions: string
  flexibleVersions: string
  fields: KafkaField[]
  commonStructs?: {name: string; versions: string; fields: KafkaField[]}[]
}

const here = path.dirname(fileURLToPath(import.meta.url))

/** Candidate directories, in the order they are tried. */
export function kafkaMessagesCandidates(): string[] {
  // Compiled tests run from <repo>/<outDir>/test/protocol; sources live in <repo>/test/protocol.
  const candidates = [process.env.KAFKA_MESSAGES_DIR]
  for (let dir = here; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      for (let above = path.dirname(dir); ; above = path.dirname(above)) {
        candidates.push(path.join(above, 'shared', 'kafka-messages'))
        if (above === path.dirname(above)) break
      }
      break
    }
  }
  return candidates.filter((dir): dir is string => dir !== undefined && dir !== '')
}

export function findKafkaMessagesDir(): string | null {
  return kafkaMessagesCandidates().find((dir) => existsSync(path.join(dir, 'ProduceRequest.json'))) ?? null
}

export function loadKafkaMessage(dir: string, name: string): KafkaMessage {
  return JSON.parse(stripComments(readFileSync(path.join(dir, `${name}.json`), 'utf8'))) as KafkaMessage
}

/** Removes // comments outside strings (the files carry a licence header and version notes). */
export function stripComments(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      out += c
      if (c === '\\') out += text[++i]
      else if (c === '"') inString = false
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else {
      if (c === '"') inString = true
      out += c
    }
  }
  return out
}
