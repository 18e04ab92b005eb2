/** Whether a yes/no question can be asked: a person at a terminal on both ends. */
export function canPrompt(streams: {stdin: {isTTY?: boolean}; stderr: {isTTY?: boolean}} = process): boolean {
  return streams.stdin.isTTY === true && streams.stderr.isTTY === true
}

/**
 * Asks a yes/no question on the terminal (default no). The prompt goes to stderr so stdout
 * keeps only data. inquirer costs ~60 ms to load, so it is imported only when a question is
 * actually asked. Ctrl-C answers no.
 */
export async function confirm(question: string): Promise<boolean> {
  const {createPromptModule} = await import('inquirer')
  const prompt = createPromptModule({output: process.stderr})
  try {
    const answer = await prompt<{ok: boolean}>([{type: 'confirm', name: 'ok', message: question, default: false}])
    return answer.ok
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') return false
    throw error
  }
}
