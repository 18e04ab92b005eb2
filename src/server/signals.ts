/**
 * SIGTERM and SIGINT stop the daemon gracefully. A second signal while stopping means the user has
 * given up waiting: it exits at once with status 1 (the logs recover at the next start).
 * Returns a function that removes the handlers.
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => void, log: (line: string) => void): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']
  let received = false
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      log(`${signal} received again while stopping: exiting now`)
      process.exit(1)
    }
    received = true
    stop(signal)
  }
  for (const signal of signals) process.on(signal, handler)
  return () => {
    for (const signal of signals) process.off(signal, handler)
  }
}
