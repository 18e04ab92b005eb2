/**
 * A long-poll Fetch whose client has hung up stops waiting: the connection's hangup signal reaches
 * the Fetch wait through Broker.handle, and the wait releases its listeners.
 */
import {expect} from 'chai'
import {waitForAppend, type AppendSource} from '../../src/broker/append-wait.js'
import {WakeSignal} from '../../src/broker/wake-signal.js'
import {ApiKey, decodeResponse, encodeRequest} from '../../src/protocol/index.js'
import {Listeners} from '../../src/server/listeners.js'
import {BrokerHarness} from '../broker/broker-harness.js'
import {WireClient} from './wire-client.js'

/** Longer than any test may run: a wait that is not cut short fails by the test timeout. */
const FOREVER_MS = 600_000

class FakeLog implements AppendSource {
  readonly listeners = new Set<() => void>()
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

const fetchBody = (topic: string) => ({
  maxWaitMs: FOREVER_MS, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
  topics: [{topic, partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}], forgottenTopicsData: [], rackId: '',
})

describe('a long poll whose client hung up', () => {
  it('waitForAppend ends on the signal and removes every listener', async () => {
    const log = new FakeLog()
    const wake = new WakeSignal()
    const hangup = new AbortController()
    const waiting = waitForAppend([log], wake, FOREVER_MS, hangup.signal)
    expect(log.listeners.size).to.equal(1)
    hangup.abort()
    await waiting
    expect(log.listeners.size).to.equal(0)
    expect(wake.waiting).to.equal(0)
    await waitForAppend([log], wake, FOREVER_MS, hangup.signal)
    expect(log.listeners.size).to.equal(0)
  })

  describe('Fetch', () => {
    let h: BrokerHarness
    beforeEach(async () => {
      h = await BrokerHarness.open()
      await h.createTopic('quiet')
    })
    afterEach(() => h.close())

    it('answers at once, empty, when its request signal aborts', async () => {
      const hangup = new AbortController()
      const frame = h.frame(ApiKey.Fetch, 11, fetchBody('quiet'), 7)
      const pending = h.broker.handle(frame, hangup.signal)
      hangup.abort()
      const response = decodeResponse(ApiKey.Fetch, 11, (await pending as Buffer).subarray(4))
      expect(response.correlationId).to.equal(7)
      const partition = response.body.responses[0].partitions[0]
      expect(partition).to.include({errorCode: 0, highWatermark: 0})
      expect((partition.records as Buffer).length).to.equal(0)
      expect(await h.broker.handle(frame, hangup.signal)).to.not.equal(null)
    })

    it('stops waiting when the client disconnects', async () => {
      const settled: Promise<unknown>[] = []
      const listeners = await Listeners.open({socketPath: `${h.dataDir}/weir.sock`, tcp: null, log: () => undefined,
        handler: (frame, hangup) => {
          const result = h.broker.handle(frame, hangup)
          settled.push(result.then(() => 'answered', () => 'failed'))
          return result
        }})
      try {
        const client = await WireClient.connect(listeners.socketPath)
        void client.request(ApiKey.Fetch, 11, fetchBody('quiet')).catch(() => undefined)
        while (settled.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
        client.close()
        expect(await settled[0]).to.equal('answered')
      } finally {
        await listeners.drainConnections()
      }
    })
  })
})
