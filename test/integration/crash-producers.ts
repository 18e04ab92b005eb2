/**
 * The three producers of the crash tests, each a real client in its own process writing unique values
 * to partition 0 of one topic with acks=all until it is stopped, and each keeping the list of records
 * the broker acknowledged. How a record counts as acknowledged differs per client:
 *
 * - confluent-kafka (crash_producer.py): its delivery report, which carries the offset.
 * - kcat -P -vv: librdkafka's delivery report, printed on stderr as "Message delivered to partition 0
 *   (offset N)" or "Delivery failed for message". Reports of one partition come in the order the
 *   records were produced, and every record gets one (success or failure), so the n-th report is
 *   about the n-th line written to kcat's stdin: that gives the value of each acknowledged offset.
 * - weir produce: it reports no offsets, only its exit status, 0 once every record of its input was
 *   acknowledged. It runs on short inputs one after another; the records of a run that exited 0 are
 *   acknowledged without an offset, and must appear in the log in the order of the input.
 *
 * Retries are off where a client allows it (retries=0 for librdkafka); weir produce has no switch
 * for it, but every producer is killed together with the daemon, so no retry can reach the restarted
 * daemon. Without idempotence a retried request could otherwise append a record twice.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {repoRoot, systemPython} from '../interop/drivers.js'

export interface Acknowledged {
  value: string
  /** the offset the client was told, when it reports one */
  offset?: number
  producer: string
}

export interface RunningProducer {
  readonly name: string
  readonly acked: Acknowledged[]
  /** values of each weir produce run that exited 0, in input order (empty for the other clients) */
  readonly orderedRuns: string[][]
  /** Kills the client's processes and resolves once they have exited. */
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function track(child: ChildProcess): ChildProcess {
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

/** Calls `onLine` for every complete line of a stream. */
function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = ''
  stream.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) onLine(line)
  })
}

const weirBin = join(repoRoot, 'bin/run.js')
const confluentScript = join(repoRoot, 'test/integration/crash_producer.py')
/** Payloads of about 100 bytes, so that a few seconds of producing fill several 1 MiB segments. */
const PAD = 80
/** The pace of the confluent-kafka and kcat producers: about 1 MB/s each. */
const RECORDS_PER_SECOND = 10_000

function padded(tag: string, seq: number): string {
  return `${tag}-${seq}-${'y'.repeat(PAD)}`
}

export function startConfluent(bootstrap: string, topic: string, tag: string): RunningProducer {
  const name = 'confluent-kafka'
  const child = track(spawn(systemPython, [confluentScript, bootstrap, topic, tag, String(PAD), String(RECORDS_PER_SECOND)], {stdio: ['ignore', 'pipe', 'ignore']}))
  const acked: Acknowledged[] = []
  eachLine(child.stdout!, (line) => {
    const space = line.indexOf(' ')
    acked.push({value: line.slice(space + 1), offset: Number(line.slice(0, space)), producer: name})
  })
  return {name, acked, orderedRuns: [], stop: () => killAndWait(child)}
}

const KCAT_DELIVERED = /Message delivered to partition \d+ \(offset (\d+)\)/
const PUMP_INTERVAL_MS = 10

export function startKcat(bootstrap: string, topic: string, tag: string): RunningProducer {
  const name = 'kcat'
  const args = ['-P', '-b', bootstrap, '-t', topic, '-p', '0', '-vv', '-X', 'acks=all', '-X', 'retries=0', '-X', 'linger.ms=2']
  const child = track(spawn('kcat', args, {stdio: ['pipe', 'ignore', 'pipe']}))
  const acked: Acknowledged[] = []
  const written: string[] = []
  let reported = 0
  // kcat serves delivery reports only while it produces, so lines keep coming at a steady rate
  // rather than waiting for reports.
  const pump = setInterval(() => {
    const first = written.length
    const lines = Array.from({length: (RECORDS_PER_SECOND * PUMP_INTERVAL_MS) / 1000}, (_, i) => padded(tag, first + i))
    written.push(...lines)
    if (child.stdin!.writable) child.stdin!.write(lines.join('\n') + '\n')
  }, PUMP_INTERVAL_MS)
  child.once('exit', () => clearInterval(pump))
  child.stdin!.on('error', () => undefined)
  eachLine(child.stderr!, (line) => {
    const delivered = KCAT_DELIVERED.exec(line)
    if (delivered) acked.push({value: written[reported]!, offset: Number(delivered[1]), producer: name})
    if (delivered || line.includes('Delivery failed')) reported++
  })
  return {name, acked, orderedRuns: [], stop: () => killAndWait(child)}
}

const WEIR_RUN_RECORDS = 300

export function startWeirProduce(socket: string, topic: string, tag: string): RunningProducer {
  const name = 'weir produce'
  const acked: Acknowledged[] = []
  const orderedRuns: string[][] = []
  let current: ChildProcess | undefined
  let stopped = false
  let run = 0
  const next = () => {
    if (stopped) return
    const values = Array.from({length: WEIR_RUN_RECORDS}, (_, i) => padded(`${tag}.${run}`, i))
    run++
    const child = track(spawn(process.execPath, [weirBin, 'produce', topic, '-p', '0', '--acks', 'all', '-q', '--socket', socket],
      {stdio: ['pipe', 'ignore', 'ignore']}))
    current = child
    child.stdin!.on('error', () => undefined)
    child.stdin!.end(values.join('\n') + '\n')
    child.once('exit', (code) => {
      if (code === 0) {
        orderedRuns.push(values)
        for (const value of values) acked.push({value, producer: name})
      }
      // A failed run (the daemon went away) ends the loop: the test restarts producers after a restart.
      if (code === 0) next()
    })
  }
  next()
  return {
    name,
    acked,
    orderedRuns,
    stop: async () => {
      stopped = true
      if (current) await killAndWait(current)
    },
  }
}

/** All three producers on one topic; values carry `tag` so that every cycle writes new ones. */
export function startAllProducers(daemon: {bootstrap: string; socket: string}, topic: string, tag: string): RunningProducer[] {
  return [
    startConfluent(daemon.bootstrap, topic, `${tag}c`),
    startKcat(daemon.bootstrap, topic, `${tag}k`),
    startWeirProduce(daemon.socket, topic, `${tag}w`),
  ]
}

/** Resolves once every producer has at least `count` acknowledged records. */
export async function untilEachAcknowledged(producers: RunningProducer[], count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (producers.some((p) => p.acked.length < count)) {
    if (Date.now() > deadline) {
      const counts = producers.map((p) => `${p.name} ${p.acked.length}`).join(', ')
      throw new Error(`producers did not reach ${count} acknowledgements each within ${timeoutMs} ms: ${counts}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
