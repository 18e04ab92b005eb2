/**
 * Space-aligned text layouts for human output. Widths count UTF-16 code units, which is
 * right for the ASCII names and numbers these tables hold. The last column is never padded,
 * so lines carry no trailing blanks.
 */

/** Rows of cells under an optional header row, columns separated by at least `gap` spaces. */
export function formatTable(header: readonly string[] | null, rows: readonly (readonly string[])[], gap = 2): string[] {
  const all = header === null ? rows : [header, ...rows]
  const columns = Math.max(0, ...all.map((row) => row.length))
  const widths: number[] = []
  for (let column = 0; column < columns; column++) {
    widths.push(Math.max(...all.map((row) => (row[column] ?? '').length)))
  }
  return all.map((row) => row
    .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] + gap)))
    .join(''))
}

/** `key: value` lines with the values aligned in one column. */
export function formatKeyValues(pairs: readonly (readonly [string, string])[]): string[] {
  return formatTable(null, pairs.map(([key, value]) => [`${key}:`, value]), 1)
}
