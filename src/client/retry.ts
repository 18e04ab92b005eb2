// Waiting between retries: exponential backoff, and a sleep that a close() can cut short so that no
// timer outlives the client.
import {ClosedError} from './errors.js'

/** Delay before retry number `attempt` (0-based): base, 2 x base, 4 x base … capped at maxMs. */
export function backoffMs(attempt: number, baseMs = 50, maxMs = 1000): number {
  return Math.min(maxMs, baseMs * 2 ** attempt)
}

/** Resolves after `ms`, or rejects with a ClosedError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, what = 'the client'): Promise<void> {
  if (signal.aborted) return Promise.reject(new ClosedError(what))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new ClosedError(what))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, {once: true})
  })
}
