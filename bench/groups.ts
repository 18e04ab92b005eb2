// Consumer groups, side by side in one run on one daemon:
//   1. rebalance: a group of 7 members on a 16-partition topic, then an 8th joins; the time from
//      the coordinator's rebalance starting (DescribeGroups sees PreparingRebalance, i.e. the 8th
//      JoinGroup arrived) to the group Stable with 8 members each holding partitions, polled every
//      5 ms. Members are `weir consume --group` processes, against confluent-kafka (librdkafka)
//      members as the baseline; both with heartbeat.interval.ms 500 (as the interop tests run them),
//      which bounds how soon the 7 notice the rebalance.
//   2. consume throughput: `weir consume --group G --from-beginning --exit-at-end` against
//      `weir consume --from-beginning --exit-at-end` (assign mode) over the same 1 M x 100-byte
//      records on 4 partitions, stdout to /dev/null; records/s, MB/s and peak RSS.
//   3. `weir consumer-groups describe --all-groups` over 100 groups with committed offsets on a
//      4-partition topic (lag computed for all), against kafka-python 2.0.2's admin client doing
//      the same (list groups, fetch each group's offsets, end offsets, lag).
// Every figure is the median of BENCH_RUNS runs (default 3).
//
//   npm run build && node dist/bench/groups.js [--records N]
import {spawnSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, writeFileSync} from 'node:fs'
import {cpus, totalmem} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {KafkaClient} from '../src/client/index.js'
import {type TestDaemon, startTestDaemon} from '../test/helpers/daemon.js'
import {repoRoot, systemPython} from '../test/interop/drivers.js'
import {GroupMember, type MemberKind} from '../test/interop/group-member.js'
import {describeGroup, waitForStableGroup} from '../test/interop/group-probe.js'
import {median} from './stats.js'

const here = dirname(fileURLToPath(import.meta.url))
const weirFromBuild = join(here, '..', 'test', 'cli', 'weir-from-build.js')
const describeScript = join(repoRoot, 'bench', 'kafka_python_describe_groups.py')
const outDir = join(repoRoot, 'bench', 'out')
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const RECORD_SIZE = 100
const REBALANCE_PARTITIONS = 16
const DESCRIBE_GROUPS = 100
/** A member's default session timeout is 45 s; this only bounds a wait that should never take that long. */
const SETTLE_MS = 120_000

interface Timed {
  seconds: number
  peakRssKb: number
}

function timed(command: string, args: string[]): Timed {
  const stdout = openSync('/dev/null', 'w')
  const started = process.hrtime.bigint()
  const result = spawnSync('/usr/bin/time', ['-f', 'WEIR_BENCH_MAXRSS %M', command, ...args], {stdio: ['ignore', stdout, 'pipe']})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  closeSync(stdout)
  const stderr = result.stderr.toString()
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${stderr.slice(-1500)}`)
  return {seconds, peakRssKb: Number(/WEIR_BENCH_MAXRSS (\d+)/.exec(stderr)?.[1] ?? 0)}
}

async function withClient<T>(daemon: TestDaemon, use: (client: KafkaClient) => Promise<T>): Promise<T> {
  const client = await KafkaClient.connect({socket: daemon.socket, clientId: 'bench-groups'})
  try {
    return await use(client)
  } finally {
    await client.close()
  }
}

async function createTopic(daemon: TestDaemon, name: string, partitions: number): Promise<void> {
  await withClient(daemon, async (client) => {
    const [result] = await client.admin().createTopics([{name, partitions}])
    if (result?.errorCode !== 0) throw new Error(`creating ${name}: ${result?.errorMessage ?? result?.errorCode}`)
  })
}

// ---- 1. rebalance ----------------------------------------------------------------------

/** Milliseconds from the rebalance starting to a Stable group of 8, for one run with `kind` members. */
async function rebalanceOnce(daemon: TestDaemon, kind: MemberKind, run: number): Promise<number> {
  const topic = `rebalance-${kind}-${run}`
  const group = `rebalance-${kind}-${run}`
  await createTopic(daemon, topic, REBALANCE_PARTITIONS)
  const settings = {bootstrap: daemon.bootstrap, socket: daemon.socket, group, topic, sessionTimeoutMs: 45_000}
  const members = Array.from({length: 7}, () => GroupMember.start(kind, settings))
  try {
    await waitForStableGroup(daemon.socket, group, 7, SETTLE_MS)
    members.push(GroupMember.start(kind, settings))
    let started: number | undefined
    const deadline = Date.now() + SETTLE_MS
    for (;;) {
      const view = await describeGroup(daemon.socket, group)
      const now = performance.now()
      if (view.state !== 'Stable') started ??= now
      else if (started !== undefined && view.members.length === 8 && view.members.every((m) => m.partitions.length > 0)) return now - started
      if (Date.now() > deadline) throw new Error(`group ${group} did not settle with 8 members`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    await Promise.all(members.map((member) => member.kill()))
  }
}

async function rebalance(daemon: TestDaemon): Promise<Record<string, number>> {
  const kinds: MemberKind[] = ['weir', 'confluent-range']
  const samples: Record<string, number[]> = {weir: [], 'confluent-range': []}
  for (let run = 0; run < RUNS; run++) {
    for (const kind of kinds) samples[kind]!.push(await rebalanceOnce(daemon, kind, run))
  }
  return Object.fromEntries(kinds.map((kind) => [kind, median(samples[kind]!)]))
}

// ---- 2. group vs assign consume ---------------------------------------------------------

async function fillTopic(daemon: TestDaemon, topic: string, records: number): Promise<void> {
  await createTopic(daemon, topic, 4)
  await withClient(daemon, async (client) => {
    const producer = client.producer({acks: 1})
    const value = Buffer.alloc(RECORD_SIZE, 'x')
    for (let i = 0; i < records; i++) {
      if (!producer.send({topic, partition: i % 4, key: null, value})) await producer.flush()
    }
    await producer.flush()
  })
}

function consumeRun(daemon: TestDaemon, topic: string, group: string | null): Timed {
  const mode = group === null ? [] : ['--group', group]
  return timed(process.execPath, [weirFromBuild, 'consume', topic, ...mode, '--from-beginning', '--exit-at-end', '--quiet',
    '--socket', daemon.socket])
}

async function groupConsume(daemon: TestDaemon, records: number): Promise<{group: Timed; assign: Timed}> {
  const topic = 'consume-bench'
  await fillTopic(daemon, topic, records)
  const group: Timed[] = []
  const assign: Timed[] = []
  for (let run = 0; run < RUNS; run++) {
    assign.push(consumeRun(daemon, topic, null))
    group.push(consumeRun(daemon, topic, `consume-bench-${run}`))
  }
  const med = (runs: Timed[]): Timed => ({seconds: median(runs.map((r) => r.seconds)), peakRssKb: median(runs.map((r) => r.peakRssKb))})
  return {group: med(group), assign: med(assign)}
}

// ---- 3. describe 100 groups -------------------------------------------------------------

async function commitGroups(daemon: TestDaemon): Promise<void> {
  const topic = 'describe-bench'
  await fillTopic(daemon, topic, 4000)
  await withClient(daemon, async (client) => {
    const admin = client.admin()
    for (let g = 0; g < DESCRIBE_GROUPS; g++) {
      const offsets = [0, 1, 2, 3].map((partition) => ({topic, partition, offset: (g * 7 + partition * 13) % 1000}))
      const results = await admin.alterGroupOffsets(`describe-bench-${g}`, offsets)
      if (results.some((r) => r.errorCode !== 0)) throw new Error(`committing offsets of describe-bench-${g} failed`)
    }
  })
}

async function describeAll(daemon: TestDaemon): Promise<{weir: Timed; kafkaPython: Timed}> {
  await commitGroups(daemon)
  const weir: Timed[] = []
  const kafkaPython: Timed[] = []
  for (let run = 0; run < RUNS; run++) {
    weir.push(timed(process.execPath, [weirFromBuild, 'consumer-groups', 'describe', '--all-groups', '--socket', daemon.socket]))
    kafkaPython.push(timed(systemPython, [describeScript, daemon.bootstrap]))
  }
  const med = (runs: Timed[]): Timed => ({seconds: median(runs.map((r) => r.seconds)), peakRssKb: median(runs.map((r) => r.peakRssKb))})
  return {weir: med(weir), kafkaPython: med(kafkaPython)}
}

// ---- report -----------------------------------------------------------------------------

function recordsArg(): number {
  const at = process.argv.indexOf('--records')
  return at === -1 ? 1_000_000 : Number(process.argv[at + 1])
}

async function main(): Promise<void> {
  const records = recordsArg()
  const daemon = await startTestDaemon({configs: {'group.initial.rebalance.delay.ms': '0'}})
  try {
    const rebalanceMs = await rebalance(daemon)
    const consume = await groupConsume(daemon, records)
    const describe = await describeAll(daemon)
    const rate = (t: Timed) => records / t.seconds
    const lines = [
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}; median of ${RUNS}`,
      '',
      'rebalance, 7 -> 8 members, 16 partitions (PreparingRebalance seen -> Stable with 8):',
      `  weir consume --group      ${rebalanceMs.weir!.toFixed(0)} ms`,
      `  confluent-kafka (range)   ${rebalanceMs['confluent-range']!.toFixed(0)} ms`,
      `  ratio weir/confluent      ${(rebalanceMs.weir! / rebalanceMs['confluent-range']!).toFixed(2)}`,
      '',
      `consume ${records} x ${RECORD_SIZE} B, 4 partitions, to /dev/null:`,
      `  group mode   ${consume.group.seconds.toFixed(2)} s  ${Math.round(rate(consume.group))} rec/s  ${(rate(consume.group) * RECORD_SIZE / 1e6).toFixed(1)} MB/s  peak RSS ${Math.round(consume.group.peakRssKb / 1024)} MB`,
      `  assign mode  ${consume.assign.seconds.toFixed(2)} s  ${Math.round(rate(consume.assign))} rec/s  ${(rate(consume.assign) * RECORD_SIZE / 1e6).toFixed(1)} MB/s  peak RSS ${Math.round(consume.assign.peakRssKb / 1024)} MB`,
      `  ratio group/assign (throughput)  ${(consume.assign.seconds / consume.group.seconds).toFixed(2)}`,
      '',
      `describe ${DESCRIBE_GROUPS} groups with lag (wall time of the whole command):`,
      `  weir consumer-groups describe --all-groups   ${(describe.weir.seconds * 1000).toFixed(0)} ms  peak RSS ${Math.round(describe.weir.peakRssKb / 1024)} MB`,
      `  kafka-python admin (list, offsets, ends)      ${(describe.kafkaPython.seconds * 1000).toFixed(0)} ms  peak RSS ${Math.round(describe.kafkaPython.peakRssKb / 1024)} MB`,
      `  ratio weir/kafka-python (time)               ${(describe.weir.seconds / describe.kafkaPython.seconds).toFixed(2)}`,
    ]
    mkdirSync(outDir, {recursive: true})
    writeFileSync(join(outDir, 'groups.txt'), lines.join('\n') + '\n')
    console.log(lines.join('\n'))
  } finally {
    await daemon.stop()
  }
}

await main()
