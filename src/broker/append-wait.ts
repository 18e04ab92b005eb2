/**
 * The wait inside a long-poll Fetch: resolves on the first append to any of the watched partitions,
 * on the broker-wide wake signal (topic deleted, broker closing), when the client hangs up, or when
 * the time is up, whichever comes first. Every listener and the timer are removed when it
 * resolves: no polling, no leaks.
 */
import type {WakeSignal} from './wake-signal.js'

export interface AppendSource {
  onAppend(listener: () => void): () => void
}

export function waitForAppend(sources: AppendSource[], wake: WakeSignal, timeoutMs: number, hangup?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (hangup?.aborted === true) return resolve()
    const unsubscribes: (() => void)[] = []
    let timer: NodeJS.Timeout | undefined
    const done = () => {
      clearTimeout(timer)
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe()
      resolve()
    }
    timer = setTimeout(done, Math.max(0, timeoutMs))
    unsubscribes.push(wake.subscribe(done))
    for (const source of sources) unsubscribes.push(source.onAppend(done))
    if (hangup !== undefined) {
      hangup.addEventListener('abort', done, {once: true})
      unsubscribes.push(() => hangup.removeEventListener('abort', done))
    }
  })
}
