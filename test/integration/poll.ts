// Waits for an effect of a background task (a cleaning, a published list) by checking for it again
// and again: the deadline only keeps a broken build from hanging the run, nothing is asserted about
// how long it took.
const POLL_INTERVAL_MS = 50

/** The first value `probe` returns that is not undefined; throws naming `what` once `limitMs` has passed. */
export async function pollUntil<T>(probe: () => T | undefined, what: string, limitMs = 15_000): Promise<T> {
  const deadline = Date.now() + limitMs
  for (;;) {
    const found = probe()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))
  }
}
