// The fake cluster and client of the producer and consumer tests, shared through live bindings: `start`
// starts a cluster (`fake`) and connects a client (`client`) to it; closeSessionAfterEach(), called inside
// a describe() body, closes both after each of its tests. Separate from fake-session.ts, whose getters name
// a client id: with these bindings a test reads `fake` as a plain variable, as these tests always have.
import {KafkaClient} from '../../src/client/index.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'

export let fake: FakeCluster
export let client: KafkaClient

export async function start(options: FakeClusterOptions = {}): Promise<void> {
  fake = await FakeCluster.start(options)
  client = await KafkaClient.connect(fake.clientOptions)
}

export function closeSessionAfterEach(): void {
  afterEach(async () => {
    await client?.close()
    await fake.stop()
  })
}
