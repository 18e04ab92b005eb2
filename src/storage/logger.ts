/** Where storage reports what it did on its own: recovery, truncation, index rebuilds, cleanup. One line each. */
export type Logger = (line: string) => void

export const silentLogger: Logger = () => {}
