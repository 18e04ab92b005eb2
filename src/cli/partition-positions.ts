import type {OffsetSpec, UntilSpec} from './offsets-spec.js'

/** The offset lookups resolution needs: the client's Admin.listOffsets (ListOffsets). */
export interface OffsetLookup {
  /** 'earliest' = log start, 'latest' = log end, a number = first offset at or after that time (-1: none). */
  listOffsets(topic: string, partitions: number[], spec: 'earliest' | 'latest' | number): Promise<Map<number, number>>
}

/** Each partition's log start and end offsets when reading began. */
export interface LogBounds {
  start: ReadonlyMap<number, number>
  end: ReadonlyMap<number, number>
}

/** Where a partition stops for `--until`: before `offset`, or before the first record at or after `timestamp`. */
export interface StopPoint {
  /** Infinity when only the timestamp can say (no record at or after it yet). */
  offset: number
  timestamp: number | null
}

export async function logBounds(lookup: OffsetLookup, topic: string, partitions: number[]): Promise<LogBounds> {
  const [start, end] = await Promise.all([lookup.listOffsets(topic, partitions, 'earliest'), lookup.listOffsets(topic, partitions, 'latest')])
  return {start, end}
}

/**
 * The first offset to read in each partition. An absolute offset outside a partition's log starts at
 * its nearest end, with a warning, as kafka-consumer-groups clamps reset targets; -N starts N records
 * before the end (at the log start when it holds fewer); a time with no record at or after it starts
 * at the end, as kcat does.
 */
export async function startPositions(lookup: OffsetLookup, topic: string, bounds: LogBounds, spec: OffsetSpec):
  Promise<{positions: Map<number, number>; warnings: string[]}> {
  const partitions = [...bounds.end.keys()]
  const found = spec.kind === 'time' ? await lookup.listOffsets(topic, partitions, spec.timestamp) : null
  const positions = new Map<number, number>()
  const warnings: string[] = []
  for (const partition of partitions) {
    const start = bounds.start.get(partition) ?? 0
    const end = bounds.end.get(partition) ?? start
    switch (spec.kind) {
      case 'earliest':
        positions.set(partition, start)
        break
      case 'latest':
        positions.set(partition, end)
        break
      case 'before-end':
        positions.set(partition, Math.max(start, end - spec.count))
        break
      case 'time': {
        const offset = found!.get(partition) ?? -1
        positions.set(partition, offset < 0 ? end : offset)
        break
      }
      case 'offset': {
        const clamped = Math.min(Math.max(spec.offset, start), end)
        if (clamped !== spec.offset) {
          warnings.push(`${topic}/${partition} has log start offset ${start} and log end offset ${end}; reading from ${clamped} instead of ${spec.offset}.`)
        }
        positions.set(partition, clamped)
        break
      }
    }
  }
  return {positions, warnings}
}

/** Where each partition stops for `--until`; `now` tells a past time from a future one. */
export async function stopPoints(lookup: OffsetLookup, topic: string, bounds: LogBounds, spec: UntilSpec, now: number): Promise<Map<number, StopPoint>> {
  const partitions = [...bounds.end.keys()]
  const found = spec.kind === 'time' ? await lookup.listOffsets(topic, partitions, spec.timestamp) : null
  const points = new Map<number, StopPoint>()
  for (const partition of partitions) {
    points.set(partition, stopPoint(spec, partition, bounds, found, now))
  }
  return points
}

function stopPoint(spec: UntilSpec, partition: number, bounds: LogBounds, found: Map<number, number> | null, now: number): StopPoint {
  switch (spec.kind) {
    case 'earliest':
      return {offset: bounds.start.get(partition) ?? 0, timestamp: null}
    case 'latest':
      return {offset: bounds.end.get(partition) ?? 0, timestamp: null}
    case 'offset':
      return {offset: spec.offset, timestamp: null}
    case 'time': {
      // No record at or after the time yet. A past time stops at the end as it is now, since records
      // written from now on are newer; a future one waits for the first record that reaches it.
      const offset = found!.get(partition) ?? -1
      if (offset >= 0) return {offset, timestamp: spec.timestamp}
      return {offset: spec.timestamp <= now ? (bounds.end.get(partition) ?? 0) : Infinity, timestamp: spec.timestamp}
    }
  }
}
