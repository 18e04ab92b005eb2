// Test helper: a seeded generator (mulberry32), so randomized tests replay the same cases.
export function seededRandom(seed: number): {int(maxExclusive: number): number; between(min: number, max: number): number} {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
  }
}
