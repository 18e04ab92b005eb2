/**
 * The cluster id a daemon reports in Metadata: generated once per data directory and kept in
 * `<dataDir>/cluster.json` as `{"clusterId": "<22-char base64url>"}`, the form Kafka uses (a
 * random UUID in URL-safe base64 without padding). It lives beside, not inside, `meta/`, which
 * holds one file per topic.
 */
import {randomBytes} from 'node:crypto'
import {readFile, rename, writeFile} from 'node:fs/promises'
import {daemonPaths} from './paths.js'

const CLUSTER_ID = /^[A-Za-z0-9_-]{22}$/

export async function loadOrCreateClusterId(dataDir: string): Promise<string> {
  const path = daemonPaths(dataDir).clusterInfo
  const existing = await readClusterId(path)
  if (existing !== null) return existing
  const clusterId = randomBytes(16).toString('base64url')
  const temp = `${path}.tmp`
  await writeFile(temp, JSON.stringify({clusterId}) + '\n', {mode: 0o600})
  await rename(temp, path)
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
  const parsed = JSON.parse(text) as {clusterId?: unknown}
  if (typeof parsed.clusterId !== 'string' || !CLUSTER_ID.test(parsed.clusterId)) {
    throw new Error(`${path} holds no valid clusterId`)
  }
  return parsed.clusterId
}
