// Polls a condition until it holds (tests wait for effects, never for a duration).
export async function waitFor(condition: () => boolean, what = 'condition', limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
