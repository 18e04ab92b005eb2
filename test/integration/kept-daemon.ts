/**
 * A test daemon on a data directory the test keeps across stop() and restart() (startTestDaemon
 * removes only directories it made itself), with the weir CLI pointed at it. close() stops the
 * daemon and removes the directory, whatever state the test left them in.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type TestDaemon, type TestDaemonOptions, startTestDaemon} from '../helpers/daemon.js'
import {WeirCli} from './weir-cli.js'

export interface KeptDaemon {
  daemon: TestDaemon
  weir: WeirCli
  close(): Promise<void>
}

export async function startKeptDaemon(prefix: string, options: Omit<TestDaemonOptions, 'dataDir'> = {}): Promise<KeptDaemon> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix))
  let daemon: TestDaemon
  try {
    daemon = await startTestDaemon({...options, dataDir})
  } catch (error) {
    await rm(dataDir, {recursive: true, force: true})
    throw error
  }
  const weir = new WeirCli(daemon)
  return {
    daemon,
    weir,
    async close() {
      try {
        await daemon.stop()
      } finally {
        weir.dispose()
        await rm(dataDir, {recursive: true, force: true})
      }
    },
  }
}
