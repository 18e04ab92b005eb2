import {expect} from 'chai'
import {waitForAppend, type AppendSource} from '../../src/broker/append-wait.js'
import {WakeSignal} from '../../src/broker/wake-signal.js'

class FakeLog implements AppendSource {
  readonly listeners = new Set<() => void>()
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  append(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

describe('waitForAppend', () => {
  it('resolves on an append to any watched log and removes every listener', async () => {
    const logs = [new FakeLog(), new FakeLog()]
    const wake = new WakeSignal()
    const waiting = waitForAppend(logs, wake, 60_000)
    logs[1].append()
    await waiting
    expect(logs.map(l => l.listeners.size)).to.deep.equal([0, 0])
    expect(wake.waiting).to.equal(0)
  })

  it('resolves on the wake signal', async () => {
    const log = new FakeLog()
    const wake = new WakeSignal()
    const waiting = waitForAppend([log], wake, 60_000)
    wake.wake()
    await waiting
    expect(log.listeners.size).to.equal(0)
  })

  it('resolves when the time is up', async () => {
    const log = new FakeLog()
    await waitForAppend([log], new WakeSignal(), 5)
    expect(log.listeners.size).to.equal(0)
  })
})
