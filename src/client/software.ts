// How this client names itself to brokers (ApiVersions v3+ ClientSoftwareName/Version, KIP-511).
import {readFileSync} from 'node:fs'

export const CLIENT_SOFTWARE_NAME = 'weir'

/** The package version; the compiled file sits at <out>/src/client/, three levels below package.json. */
export const CLIENT_SOFTWARE_VERSION: string = readPackageVersion()

function readPackageVersion(): string {
  try {
    const text = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')
    const version: unknown = (JSON.parse(text) as {version?: unknown}).version
    // Brokers reject versions outside [a-zA-Z0-9.-] (INVALID_REQUEST), so anything else is not sent.
    return typeof version === 'string' && /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(version) ? version : 'unknown'
  } catch {
    return 'unknown'
  }
}
