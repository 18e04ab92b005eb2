// Real consumer groups against one Weir daemon on TCP: kafkajs 2.2.4, confluent-kafka (librdkafka
// 2.0.2) with the range and the cooperative-sticky assignor, kafka-python 2.0.2, and groups mixing
// confluent-kafka with `weir consume --group`. Each scenario, with members as processes:
//   1. the members form one group whose assignment covers every partition once (each member
//      recorded with its client host: /127.0.0.1 over TCP, localhost over the Unix socket), and
//      between them consume every record of a first round;
//   2. one member is killed (SIGKILL): its partitions move to the others, which consume every record
//      of a second round (within the session timeout plus the time to rebalance);
//   3. where there are three members, one more leaves cleanly and the last one takes everything;
//   4. the rest close cleanly, the daemon restarts, and a fresh member resumes from the committed
//      offsets: it sees the third round and nothing before it.
import {expect} from 'chai'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {KafkaClient} from '../../src/client/index.js'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {GroupMember, type MemberKind, type MemberSettings} from './group-member.js'
import {describeGroup, expectCompleteAssignment, produceRound, waitFor, waitForStableGroup, waitForValues} from './group-probe.js'

const PARTITIONS = 6
const PER_PARTITION = 10
const SESSION_TIMEOUT_MS = 4000
/** Joining, a rebalance and the first fetches, on a busy two-core machine. */
const SETTLE_MS = 60_000

interface Scenario {
  name: string
  members: MemberKind[]
  /** Index of the member killed in step 2. */
  victim: number
  /** The member that resumes in step 4. */
  resume: MemberKind
}

const scenarios: Scenario[] = [
  {name: 'kafkajs, three members', members: ['kafkajs', 'kafkajs', 'kafkajs'], victim: 1, resume: 'kafkajs'},
  {name: 'confluent-kafka, range', members: ['confluent-range', 'confluent-range'], victim: 0, resume: 'confluent-range'},
  {name: 'confluent-kafka, cooperative-sticky', members: ['confluent-cooperative', 'confluent-cooperative', 'confluent-cooperative'], victim: 2,
    resume: 'confluent-cooperative'},
  {name: 'kafka-python', members: ['kafka-python', 'kafka-python'], victim: 1, resume: 'kafka-python'},
  {name: 'confluent-kafka (range) with weir consume, confluent killed', members: ['confluent-range', 'weir'], victim: 0, resume: 'weir'},
  {name: 'weir consume with confluent-kafka (cooperative-sticky), weir killed', members: ['weir', 'confluent-cooperative', 'weir'], victim: 0,
    resume: 'confluent-cooperative'},
]

describe('consumer groups with real clients', function () {
  this.timeout(240_000)
  let daemon: TestDaemon
  let dataDir: string
  const started: GroupMember[] = []

  before(async () => {
    // A data directory of our own, kept across the restarts (the daemon helper removes its own on stop).
    dataDir = await mkdtemp(join(tmpdir(), 'weir-groups-'))
    daemon = await startTestDaemon({dataDir, configs: {'group.min.session.timeout.ms': '1000', 'group.initial.rebalance.delay.ms': '500'}})
  })

  afterEach(async () => {
    await Promise.all(started.splice(0).map((member) => member.kill()))
  })

  after(async () => {
    await daemon?.stop()
    await rm(dataDir, {recursive: true, force: true})
  })

  function start(kind: MemberKind, settings: MemberSettings): GroupMember {
    const member = GroupMember.start(kind, settings)
    started.push(member)
    return member
  }

  scenarios.forEach((scenario, index) => {
    it(`${scenario.name}: splits, survives a killed member, resumes after a restart`, async () => {
      const topic = `groups-${index}`
      const settings: MemberSettings = {bootstrap: daemon.bootstrap, socket: daemon.socket, group: `group-${index}`, topic,
        sessionTimeoutMs: SESSION_TIMEOUT_MS}
      await createTopic(daemon.socket, topic)

      const members = scenario.members.map((kind) => start(kind, settings))
      const formed = await waitForStableGroup(daemon.socket, settings.group, members.length, SETTLE_MS)
      expectCompleteAssignment(formed, PARTITIONS)
      // weir consume comes over the daemon's Unix socket, every other client over TCP.
      for (const member of formed.members) expect(member.clientHost).to.equal(member.clientId.startsWith('weir') ? 'localhost' : '/127.0.0.1')
      const first = await produceRound(daemon.socket, topic, 'r1', PARTITIONS, PER_PARTITION)
      await waitForValues(members, first, SETTLE_MS)
      for (const member of members) expect(member.records, `${member.kind} member got a share`).to.not.be.empty

      const victim = members[scenario.victim]!
      await victim.kill()
      let survivors = members.filter((member) => member !== victim)
      const second = await produceRound(daemon.socket, topic, 'r2', PARTITIONS, PER_PARTITION)
      await waitForValues(survivors, second, SESSION_TIMEOUT_MS + SETTLE_MS)
      expectCompleteAssignment(await waitForStableGroup(daemon.socket, settings.group, survivors.length, SETTLE_MS), PARTITIONS)

      if (survivors.length > 1) {
        const leaving = survivors[0]!
        await leaving.stop()
        survivors = survivors.slice(1)
        const leftRound = await produceRound(daemon.socket, topic, 'r2-left', PARTITIONS, PER_PARTITION)
        await waitForValues(survivors, leftRound, SETTLE_MS)
      }

      for (const member of survivors) await member.stop()
      await waitFor('the group to be empty', SETTLE_MS, async () =>
        (await describeGroup(daemon.socket, settings.group)).state === 'Empty' ? true : undefined)
      await daemon.stop()
      await daemon.restart()

      const third = await produceRound(daemon.socket, topic, 'r3', PARTITIONS, PER_PARTITION)
      const fresh = start(scenario.resume, settings)
      await waitForValues([fresh], third, SETTLE_MS)
      const replayed = fresh.records.filter((record) => !record.value.startsWith('r3/'))
      expect(replayed, 'records the group had committed, read again').to.deep.equal([])
      await fresh.stop()
    })
  })
})

async function createTopic(socket: string, topic: string): Promise<void> {
  const client = await KafkaClient.connect({socket, clientId: 'group-interop'})
  try {
    const [result] = await client.admin().createTopics([{name: topic, partitions: PARTITIONS}])
    expect(result?.errorCode ?? -1, result?.errorMessage ?? '').to.equal(0)
  } finally {
    await client.close()
  }
}
