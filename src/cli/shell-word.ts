/** `text` as one word a user can paste into a POSIX shell (quoted only when it has to be). */
export function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}
