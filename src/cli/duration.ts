const UNITS: readonly [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]]

/** An uptime for people: the two largest non-zero units, e.g. "3d 4h", "5m 2s", "0s". */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms))
  const parts: string[] = []
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`)
  }
  const shown = parts.slice(0, 2).filter((part, index) => index === 0 || !part.startsWith('0'))
  return shown.length === 0 ? '0s' : shown.join(' ')
}
