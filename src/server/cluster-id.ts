/**
 * The cluster id a daemon reports in Metadata: generated once per data directory and kept in
 * `<dataDir>/cluster.json` as `{"clusterId": "<22-char base64url>"}`, the form Kafka uses (a
 * random UUID in URL-safe base64 without padding). It lives beside, not inside, `meta/`, which
 * holds one file per topic.
 *
 * Written atomically and durably (temp file, fsync, rename, fsync of the directory), so a power
 * loss leaves either no file or a whole one. A file that is there but unreadable (empty, not JSON,
 * no valid id) is a ClusterIdFileError naming it: the id is never silently replaced, since clients
 * compare it to detect a different cluster.
 */
import {randomBytes} from 'node:crypto'
import {open, readFile, rename, rm} from 'node:fs/promises'
import {dirname} from 'node:path'
import {ClusterIdFileError} from './errors.js'
import {daemonPaths} from './paths.js'

const CLUSTER_ID = /^[A-Za-z0-9_-]{22}$/

export async function loadOrCreateClusterId(dataDir: string): Promise<string> {
  const path = daemonPaths(dataDir).clusterInfo
  const existing = await readClusterId(path)
  if (existing !== null) return existing
  const clusterId = randomBytes(16).toString('base64url')
  await writeDurably(path, JSON.stringify({clusterId}) + '\n')
  return clusterId
}

async function readClusterId(path: string): Promise<string | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  if (text.trim() === '') throw new ClusterIdFileError(path, 'the file is empty')
  let parsed: {clusterId?: unknown} | null
  try {
    parsed = JSON.parse(text) as {clusterId?: unknown} | null
  } catch {
    throw new ClusterIdFileError(path, 'the file is not JSON')
  }
  const clusterId = parsed?.clusterId
  if (typeof clusterId !== 'string' || !CLUSTER_ID.test(clusterId)) {
    throw new ClusterIdFileError(path, 'expected {"clusterId": "<22 base64url characters>"}')
  }
  return clusterId
}

async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`
  const file = await open(temp, 'w', 0o600)
  try {
    await file.writeFile(text)
    await file.sync()
  } catch (error) {
    await file.close()
    await rm(temp, {force: true})
    throw error
  }
  await file.close()
  await rename(temp, path)
  const dir = await open(dirname(path), 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}
