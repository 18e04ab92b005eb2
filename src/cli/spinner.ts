/**
 * Runs `task` under an ora spinner on stderr when stderr is a terminal (and not under
 * --json); otherwise just runs it, so pipelines and logs see no control characters. ora is
 * imported only when a spinner is actually shown.
 */
export async function withSpinner<T>(text: string, task: () => Promise<T>, show = process.stderr.isTTY === true): Promise<T> {
  if (!show) return task()
  const {default: ora} = await import('ora')
  const spinner = ora({text, stream: process.stderr}).start()
  try {
    return await task()
  } finally {
    spinner.stop()
  }
}
