/**
 * Consumer-group members as processes, for the group interop tests: confluent-kafka (librdkafka)
 * and kafka-python through clients/group_member.py, kafkajs through kafkajs-group-member.js, and
 * `weir consume --group`. Each member's stdout is read as it comes (records and, where the client
 * reports them, assignments); `stop()` asks for a clean close (stdin closed, or SIGTERM for weir,
 * which commits what it wrote and leaves the group) and `kill()` is a crash (SIGKILL).
 * Every member still running when the test process exits is killed.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {repoRoot, systemPython} from './drivers.js'

const here = dirname(fileURLToPath(import.meta.url))
const groupMemberScript = join(repoRoot, 'test/interop/clients/group_member.py')
const kafkajsMemberScript = join(here, 'kafkajs-group-member.js')
/** The CLI of the build this file belongs to (dist/ or a private build directory). */
const weirFromBuild = join(here, '..', 'cli', 'weir-from-build.js')

export type MemberKind = 'confluent-range' | 'confluent-cooperative' | 'kafka-python' | 'kafkajs' | 'weir'

export interface ConsumedRecord {
  partition: number
  offset: number
  value: string
}

export interface MemberSettings {
  bootstrap: string
  socket: string
  group: string
  topic: string
  sessionTimeoutMs: number
}

/** 128 + SIGTERM: how a shell reports a command that ended on SIGTERM, and how `weir consume` exits after one. */
const SIGTERM_STATUS = 143

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export class GroupMember {
  readonly records: ConsumedRecord[] = []
  /** The last assignment the client reported (weir does not report one). */
  assigned: number[] | undefined
  private stderr = ''
  private exit: Promise<number | null>
  private pending = ''

  private constructor(readonly kind: MemberKind, private readonly child: ChildProcess) {
    running.add(child)
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.absorb(chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-4000) })
    this.exit = new Promise((resolve) => child.on('exit', (code) => {
      running.delete(child)
      resolve(code)
    }))
  }

  static start(kind: MemberKind, settings: MemberSettings): GroupMember {
    const [command, args] = commandOf(kind, settings)
    return new GroupMember(kind, spawn(command, args, {stdio: ['pipe', 'pipe', 'pipe']}))
  }

  get pid(): number {
    return this.child.pid!
  }

  /** The tail of what the member wrote on stderr, for failure messages. */
  get errors(): string {
    return this.stderr.trim()
  }

  /** Still running (not exited). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /**
   * A clean close; rejects when the member does not end as a clean close ends: exit 0, or for weir
   * 143, the shell's status for a command ended by SIGTERM (after it committed and left the group).
   */
  async stop(): Promise<void> {
    if (this.kind === 'weir') this.child.kill('SIGTERM')
    else this.child.stdin!.end()
    const code = await this.exit
    const clean = this.kind === 'weir' ? SIGTERM_STATUS : 0
    if (code !== clean) throw new Error(`${this.kind} member exited ${code}: ${this.errors}`)
  }

  /** A crash: SIGKILL, then wait for the process to be gone. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL')
    await this.exit
  }

  private absorb(chunk: string): void {
    const lines = (this.pending + chunk).split('\n')
    this.pending = lines.pop()!
    for (const line of lines) if (line.trim() !== '') this.event(JSON.parse(line) as Record<string, unknown>)
  }

  private event(event: Record<string, unknown>): void {
    if (event.event === 'assigned') this.assigned = event.partitions as number[]
    else if (event.event === 'record') this.records.push(recordOf(event))
    else if (event.event === undefined) this.records.push(recordOf(event)) // a `weir consume --json` line
  }
}

function recordOf(event: Record<string, unknown>): ConsumedRecord {
  return {partition: event.partition as number, offset: event.offset as number, value: event.value as string}
}

function commandOf(kind: MemberKind, s: MemberSettings): [string, string[]] {
  const session = String(s.sessionTimeoutMs)
  switch (kind) {
    case 'confluent-range':
      return [systemPython, [groupMemberScript, 'confluent_kafka', s.bootstrap, s.group, s.topic, 'range', session]]
    case 'confluent-cooperative':
      return [systemPython, [groupMemberScript, 'confluent_kafka', s.bootstrap, s.group, s.topic, 'cooperative-sticky', session]]
    case 'kafka-python':
      return [systemPython, [groupMemberScript, 'kafka_python', s.bootstrap, s.group, s.topic, 'range', session]]
    case 'kafkajs':
      return [process.execPath, [kafkajsMemberScript, s.bootstrap, s.group, s.topic, session]]
    case 'weir':
      return [process.execPath, [weirFromBuild, 'consume', s.topic, '--group', s.group, '--from-beginning', '--json', '--quiet',
        '--socket', s.socket, '--consumer-property', `session.timeout.ms=${session}`,
        '--consumer-property', 'heartbeat.interval.ms=500']]
  }
}
