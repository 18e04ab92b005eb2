/**
 * Names on disk, as in Kafka's log.dirs:
 *
 *   <dataDir>/<topic>-<partition>/                 one directory per partition
 *   <dataDir>/<topic>-<partition>/<base>.log       batches, <base> = first offset, 20 digits zero-padded
 *   <dataDir>/<topic>-<partition>/<base>.index     its offset index
 *   <dataDir>/<topic>-<partition>/<base>.timeindex its time index
 *   <dataDir>/<topic>-<partition>/<base>.txnindex  its aborted-transaction index (transaction-index.ts), once it has an entry
 *   <dataDir>/<topic>-<partition>/<offset>.snapshot producer state below <offset> (producer-snapshot.ts)
 *   <dataDir>/<topic>-<partition>/<base>.log.deleted  (and .index.deleted, .timeindex.deleted) a segment
 *                                                  deleted by retention or DeleteRecords, removed a little later
 *                                                  (with .txnindex.deleted)
 *   <dataDir>/<topic>-<partition>.<id>-delete/     a deleted partition, being removed (<id>: 32 random hex digits)
 *
 * Zero-padding to 20 digits (the width of the largest i64) makes `ls` sort segments by offset.
 * A deleted partition's directory is renamed before it is removed, so that the name is free at
 * once; the suffix is Kafka's, and the random id keeps two deletions of one name apart.
 */
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'

export const LOG_SUFFIX = '.log'
export const INDEX_SUFFIX = '.index'
export const TIME_INDEX_SUFFIX = '.timeindex'
export const TXN_INDEX_SUFFIX = '.txnindex'
export const SNAPSHOT_SUFFIX = '.snapshot'
export const DELETED_SUFFIX = '.deleted'

export type SegmentFileKind = 'log' | 'index' | 'timeindex' | 'txnindex'

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex|txnindex)(\.deleted)?$/
const SNAPSHOT_FILE = /^(\d{20})\.snapshot$/
const PARTITION_DIR = /^(.+)-(\d+)$/
const DELETED_PARTITION_DIR = /^.+-\d+\.[0-9a-f]{32}-delete$/

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix
}

export function logFilePath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, LOG_SUFFIX))
}

export function indexFilePath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, INDEX_SUFFIX))
}

export function timeIndexFilePath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, TIME_INDEX_SUFFIX))
}

export function txnIndexFilePath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, TXN_INDEX_SUFFIX))
}

export function snapshotFilePath(dir: string, offset: number): string {
  return join(dir, segmentFileName(offset, SNAPSHOT_SUFFIX))
}

/** The offset a producer snapshot file name holds, or undefined for any other name. */
export function parseSnapshotFileName(name: string): number | undefined {
  const match = SNAPSHOT_FILE.exec(name)
  return match ? Number(match[1]) : undefined
}

/** The base offset and kind of a segment file name (`deleted`: renamed for removal), or undefined for any other name. */
export function parseSegmentFileName(name: string): {baseOffset: number; kind: SegmentFileKind; deleted: boolean} | undefined {
  const match = SEGMENT_FILE.exec(name)
  if (!match) return undefined
  return {baseOffset: Number(match[1]), kind: match[2] as SegmentFileKind, deleted: match[3] !== undefined}
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`
}

/** Topic and partition of a directory name shaped like a partition directory, or undefined. */
export function parsePartitionDirName(name: string): {topic: string; partition: number} | undefined {
  const match = PARTITION_DIR.exec(name)
  if (!match) return undefined
  return {topic: match[1] as string, partition: Number(match[2])}
}

/** A fresh name for the directory of a deleted partition. */
export function deletedPartitionDirName(topic: string, partition: number): string {
  return `${partitionDirName(topic, partition)}.${randomBytes(16).toString('hex')}-delete`
}

export function isDeletedPartitionDirName(name: string): boolean {
  return DELETED_PARTITION_DIR.test(name)
}
