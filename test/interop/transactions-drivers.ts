/**
 * Real clients for the exactly-once interop tests, each in its own process: confluent-kafka
 * (librdkafka) through clients/confluent_kafka_txn.py — a transactional producer driven command by
 * command over stdin, a consumer that reads to the end with an isolation level, an idempotent
 * producer, a consume-transform-produce loop — and `weir consume` of the build this file belongs to.
 * Every process still running when the test process exits is killed.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {fromWeirJsonOutput, repoRoot, systemPython} from './drivers.js'
import {type ReadRecord, fromDriverOutput} from './records.js'

const here = dirname(fileURLToPath(import.meta.url))
const txnScript = join(repoRoot, 'test/interop/clients/confluent_kafka_txn.py')
/** The CLI of the build this file belongs to (dist/ or a private build directory). */
const weirFromBuild = join(here, '..', 'cli', 'weir-from-build.js')

export type Isolation = 'read_committed' | 'read_uncommitted'

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** A client process whose stdout is read line by line as it comes. */
export class LineProcess {
  readonly lines: string[] = []
  private stderr = ''
  private pending = ''
  private readonly exit: Promise<number | string>
  private wakeups: (() => void)[] = []

  constructor(readonly name: string, private readonly child: ChildProcess) {
    running.add(child)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.absorb(chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-4000) })
    child.stdin!.on('error', () => undefined)
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => {
      running.delete(child)
      this.wake()
      resolve(code ?? signal ?? 'unknown')
    }))
  }

  static start(name: string, command: string, args: string[]): LineProcess {
    return new LineProcess(name, spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']}))
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  get errors(): string {
    return this.stderr.trim()
  }

  write(line: string): void {
    this.child.stdin!.write(line + '\n')
  }

  /** Resolves with the first line from `from` on that `match` accepts; fails at the deadline or if the process ends first. */
  async waitForLine(match: (line: string) => boolean, timeoutMs: number, from = 0): Promise<number> {
    let checked = from
    return this.waitUntil(() => {
      for (; checked < this.lines.length; checked++) if (match(this.lines[checked]!)) return checked
      return undefined
    }, timeoutMs)
  }

  /** Resolves with what `check` returns once that is not undefined, checking as output comes; fails at the deadline or if the process ends first. */
  async waitUntil<T>(check: () => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const value = check()
      if (value !== undefined) return value
      if (!this.alive) throw new Error(`${this.name} exited before the expected output: ${this.errors}`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`${this.name}: no expected output within ${timeoutMs} ms; last lines ${this.lines.slice(-3).join(' / ')}; ${this.errors}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200))
        this.wakeups.push(() => { clearTimeout(timer); resolve() })
      })
    }
  }

  /** Closes stdin and waits for the exit status. */
  async finish(): Promise<number | string> {
    this.child.stdin!.end()
    return this.exit
  }

  /** Sends a signal and waits for the exit status (stdin stays open). */
  async signal(signal: NodeJS.Signals): Promise<number | string> {
    this.child.kill(signal)
    return this.exit
  }

  /** A crash: SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL')
    await this.exit
  }

  private absorb(chunk: string): void {
    const lines = (this.pending + chunk).split('\n')
    this.pending = lines.pop()!
    this.lines.push(...lines.filter((line) => line.trim() !== ''))
    this.wake()
  }

  private wake(): void {
    for (const wakeup of this.wakeups.splice(0)) wakeup()
  }
}

// ---- the transactional producer --------------------------------------------------------

export interface TxnRecord {
  topic: string
  partition: number
  value: string
  key?: string
}

export interface TxnAnswer {
  event: 'done' | 'error' | 'ready'
  op?: string
  error?: string
  fatal?: boolean
  abortable?: boolean
}

const TXN_OP_TIMEOUT_MS = 90_000

/** A confluent-kafka transactional producer; each call waits for the driver's answer to its command. */
export class ConfluentTransactions {
  private answered = 0

  private constructor(private readonly process: LineProcess) {}

  /** Starts the producer and waits for init_transactions to finish. */
  static async start(bootstrap: string, transactionalId: string, transactionTimeoutMs = 60_000): Promise<ConfluentTransactions> {
    const producer = new ConfluentTransactions(LineProcess.start(`confluent-kafka transactional ${transactionalId}`, systemPython,
      [txnScript, 'transactional', bootstrap, transactionalId, String(transactionTimeoutMs)]))
    const ready = await producer.next()
    if (ready.event !== 'ready') throw new Error(`init_transactions failed: ${ready.error}`)
    return producer
  }

  /** Runs one command; rejects when the client reports an error. */
  async run(op: 'begin' | 'flush' | 'commit' | 'abort'): Promise<void> {
    await this.expectDone({op})
  }

  async send(records: TxnRecord[]): Promise<void> {
    await this.expectDone({op: 'send', records})
  }

  /** Runs one command and returns the client's answer, error or not. */
  async attempt(command: {op: string; records?: TxnRecord[]}): Promise<TxnAnswer> {
    this.process.write(JSON.stringify(command))
    return this.next()
  }

  async close(): Promise<void> {
    const status = await this.process.finish()
    if (status !== 0) throw new Error(`${this.process.name} exited ${status}: ${this.process.errors}`)
  }

  kill(): Promise<void> {
    return this.process.kill()
  }

  private async expectDone(command: {op: string; records?: TxnRecord[]}): Promise<void> {
    const answer = await this.attempt(command)
    if (answer.event !== 'done') throw new Error(`${command.op} failed: ${answer.error} (${this.process.errors.slice(-500)})`)
  }

  private async next(): Promise<TxnAnswer> {
    const index = await this.process.waitForLine(() => true, TXN_OP_TIMEOUT_MS, this.answered)
    this.answered = index + 1
    return JSON.parse(this.process.lines[index]!) as TxnAnswer
  }
}

// ---- readers --------------------------------------------------------------------------------

/** Runs a command to its end without blocking the event loop; rejects on a non-zero exit. */
export function runToEnd(name: string, command: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']})
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000) })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve, reject) => child.on('exit', (code, signal) => {
    clearTimeout(timer)
    running.delete(child)
    if (code === 0) resolve(stdout)
    else reject(new Error(`${name} exited ${code ?? signal}: ${stderr.trim().slice(-2000)}`))
  }))
}

/** confluent-kafka in assign mode from the beginning to the end of every partition of the topics. */
export async function confluentRead(bootstrap: string, isolation: Isolation, topics: string[]): Promise<ReadRecord[]> {
  const output = await runToEnd(`confluent-kafka ${isolation} consumer`, systemPython, [txnScript, 'consume', bootstrap, isolation, ...topics])
  return fromDriverOutput(output)
}

/** `weir consume TOPIC --from-beginning --exit-at-end --json --isolation-level ISOLATION` over the Unix socket. */
export async function weirRead(socket: string, isolation: Isolation, topic: string): Promise<ReadRecord[]> {
  const output = await runToEnd(`weir consume --isolation-level ${isolation}`, process.execPath, [weirFromBuild, 'consume', topic,
    '--from-beginning', '--exit-at-end', '--json', '--isolation-level', isolation, '--socket', socket])
  return fromWeirJsonOutput(Buffer.from(output))
}

/** `weir transactions ARGS --json` over the Unix socket, parsed. */
export async function weirTransactions(socket: string, args: string[]): Promise<unknown> {
  return JSON.parse(await runToEnd(`weir transactions ${args.join(' ')}`, process.execPath,
    [weirFromBuild, 'transactions', ...args, '--json', '--socket', socket]))
}

/** Record values as text, by topic and partition, in offset order: what a reader saw. */
export function valuesByPartition(records: ReadRecord[]): Record<string, string[]> {
  const sorted = [...records].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset)
  const view: Record<string, string[]> = {}
  for (const record of sorted) (view[`${record.topic}/${record.partition}`] ??= []).push(record.value?.toString() ?? '<null>')
  return view
}

// ---- long-running confluent-kafka clients -----------------------------------------------------

/** The idempotent producer: "OFFSET VALUE" lines for acknowledged records, at `rate` records a second. */
export function startIdempotentProducer(bootstrap: string, topic: string, tag: string, rate: number): LineProcess {
  return LineProcess.start(`confluent-kafka idempotent ${tag}`, systemPython, [txnScript, 'idempotent', bootstrap, topic, tag, String(rate)])
}

export interface TransformSettings {
  bootstrap: string
  input: string
  output: string
  group: string
  transactionalId: string
  /** Records per transaction at most. */
  batch: number
}

/** Where the loop stops inside a transaction: after this many commits, once its records (and offsets) are sent. */
export interface TransformHang {
  after: number
  at: 'produced' | 'offsets'
}

/** The consume-transform-produce loop; "committed" (and "hanging") events as JSON lines. */
export function startTransform(s: TransformSettings, hang?: TransformHang): LineProcess {
  const hangArgs = hang ? [String(hang.after), hang.at] : []
  return LineProcess.start(`confluent-kafka transform ${s.transactionalId}`, systemPython,
    [txnScript, 'transform', s.bootstrap, s.input, s.output, s.group, s.transactionalId, String(s.batch), ...hangArgs])
}
