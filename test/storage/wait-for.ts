// Test helper: waits until a condition holds, checking every few milliseconds. The deadline only
// keeps a broken build from hanging the run; nothing is asserted about how long it took.
const DEADLINE_MS = 10_000

export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Lets `ms` milliseconds of timers run. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
