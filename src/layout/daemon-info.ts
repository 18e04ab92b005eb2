/**
 * What `<dataDir>/server.json` says of a listening daemon: written by the daemon
 * (src/server/daemon-files.ts), read by `weir server status` and by tests that find its port.
 */
export interface DaemonInfo {
  pid: number
  startedAt: number
  dataDir: string
  socket: string
  /** "127.0.0.1:9092", with the real port when port 0 was asked; null when TCP is off */
  tcp: string | null
  version: string
}
