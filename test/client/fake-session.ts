// A fake cluster and a client connected to it, started by each test with the options it needs and
// closed after it. Call inside a describe() body: it registers the afterEach hook there.
import {KafkaClient} from '../../src/client/index.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'

export interface FakeSession {
  start(options?: FakeClusterOptions): Promise<void>
  readonly fake: FakeCluster
  readonly client: KafkaClient
}

export function fakeSession(clientId: string): FakeSession {
  let fake: FakeCluster | undefined
  let client: KafkaClient | undefined
  afterEach(async () => {
    await client?.close()
    await fake?.stop()
    client = undefined
    fake = undefined
  })
  return {
    async start(options: FakeClusterOptions = {}) {
      fake = await FakeCluster.start(options)
      client = await KafkaClient.connect({...fake.clientOptions, clientId})
    },
    get fake() {
      return fake!
    },
    get client() {
      return client!
    },
  }
}
