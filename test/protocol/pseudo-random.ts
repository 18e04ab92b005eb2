/** A small deterministic generator (a linear congruential one), so that failures reproduce. */
export function* pseudoRandom(seed: number): Generator<number, never> {
  let state = seed >>> 0
  for (;;) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    yield state
  }
}
