import {type RequestedOffset, checkFileNamesGroups, parseResetCsv} from './offset-reset-csv.js'
import type {GroupSelection} from './offset-reset-scope.js'
import {openInput} from './input-stream.js'

/** A --from-file plan: the offsets it asks for by group, and its name for messages. */
export interface ResetFile {
  path: string
  offsets: ReadonlyMap<string, RequestedOffset[]>
}

/**
 * Reads and checks a reset file (`-`: standard input) before anything is asked of the cluster: a
 * line that is not CSV of the expected form, or a named group the file does not mention, stops here.
 */
export async function readResetFile(path: string, selection: GroupSelection): Promise<ResetFile> {
  const source = path === '-' ? 'standard input' : path
  const chunks: Buffer[] = []
  for await (const chunk of await openInput(path === '-' ? undefined : path)) chunks.push(chunk as Buffer)
  const single = selection.kind === 'named' && selection.groups.length === 1 ? selection.groups[0]! : null
  const offsets = parseResetCsv(Buffer.concat(chunks).toString('utf8'), single, source)
  if (selection.kind === 'named') checkFileNamesGroups(offsets, selection.groups, source)
  return {path: source, offsets}
}
