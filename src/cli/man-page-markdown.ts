/**
 * Manual pages in ronn-style markdown (the input of marked-man), written from the oclif
 * manifest so the pages say exactly what `--help` says: one page per command
 * (`weir-topics-create(1)`) and an overview page `weir(1)`.
 */

/** The parts of an oclif.manifest.json command entry the pages use. */
export interface ManifestFlag {
  name: string
  char?: string
  summary?: string
  description?: string
  type: 'boolean' | 'option'
  allowNo?: boolean
  helpValue?: string | string[]
  options?: readonly string[]
  default?: unknown
  multiple?: boolean
  hidden?: boolean
  helpGroup?: string
  aliases?: readonly string[]
}

export interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  hidden?: boolean
  strict?: boolean
  examples?: readonly (string | {command: string; description: string})[]
  flags: Readonly<Record<string, ManifestFlag>>
  args: Readonly<Record<string, {name: string; description?: string; required?: boolean}>>
}

export interface ManPage {
  /** File name without the section suffix, e.g. weir-topics-create. */
  name: string
  markdown: string
}

export interface ManContext {
  bin: string
  /** package.json description: the overview page's one-line summary. */
  summary: string
}

/** weir-topics-create from topics:create. */
export function pageName(bin: string, id: string): string {
  return [bin, ...id.split(':')].join('-')
}

/** The command line a user types, weir topics create, from topics:create. */
export function commandLine(bin: string, id: string): string {
  return [bin, ...id.split(':')].join(' ')
}

export function commandPage(command: ManifestCommand, context: ManContext): ManPage {
  const name = pageName(context.bin, command.id)
  const line = commandLine(context.bin, command.id)
  const flags = Object.values(command.flags).filter((flag) => !flag.hidden)
  const sections = [
    `# ${name}(1) -- ${prose(stripFinalDot(command.summary ?? ''))}`,
    '## SYNOPSIS',
    synopsis(line, command),
    '## DESCRIPTION',
    prose(expand(command.description ?? command.summary ?? '', context.bin, line)),
  ]
  const args = Object.values(command.args)
  if (args.length > 0) {
    sections.push('## ARGUMENTS', args.map((arg) => `* \`${arg.name.toUpperCase()}\`:\n  ${prose(arg.description ?? '')}`).join('\n\n'))
  }
  for (const [group, members] of groupFlags(flags)) {
    sections.push(`## ${group}`, members.map(flagItem).join('\n\n'))
  }
  if ((command.examples ?? []).length > 0) {
    sections.push('## EXAMPLES', (command.examples ?? []).map((example) => exampleBlock(example, context.bin, line)).join('\n\n'))
  }
  sections.push('## EXIT STATUS', EXIT_STATUS)
  if ('socket' in command.flags || 'data-dir' in command.flags) sections.push('## ENVIRONMENT', ENVIRONMENT)
  sections.push('## SEE ALSO', `${pageRef(context.bin)}`)
  return {name, markdown: sections.join('\n\n') + '\n'}
}

export function overviewPage(commands: readonly ManifestCommand[], context: ManContext,
  topics: Readonly<Record<string, {description?: string}>>): ManPage {
  const visible = commands.filter((command) => !command.hidden).sort((a, b) => a.id.localeCompare(b.id))
  const sections = [
    `# ${context.bin}(1) -- ${prose(stripFinalDot(context.summary))}`,
    '## SYNOPSIS',
    `\`${context.bin}\` *COMMAND* [*ARGUMENTS*] [*FLAGS*]`,
    '## DESCRIPTION',
    prose(`${context.bin} drives a local daemon that keeps partitioned, append-only logs in a data directory and speaks the Apache Kafka wire protocol, so Kafka clients and tools work against it unchanged. The same commands talk to a Kafka cluster with --bootstrap-server. Every command has --help and --json.`),
    '## COMMANDS',
    visible.map((command) => `* \`${commandLine(context.bin, command.id)}\`:\n  ${prose(command.summary ?? '')} See ${pageRef(pageName(context.bin, command.id))}.`).join('\n\n'),
  ]
  const topicLines = Object.entries(topics)
    .filter(([topic]) => visible.some((command) => command.id.startsWith(`${topic}:`)))
    .map(([topic, {description}]) => `* \`${context.bin} ${topic}\`:\n  ${prose(description ?? '')}`)
  if (topicLines.length > 0) sections.push('## COMMAND GROUPS', topicLines.join('\n\n'))
  sections.push(
    '## EXIT STATUS', EXIT_STATUS,
    '## ENVIRONMENT', ENVIRONMENT,
    '## FILES', prose('~/.weir (or $WEIR_HOME, or --data-dir): the data directory. It holds the Unix socket weir.sock, the pid file weir.pid, server.log, topic metadata in meta/, and one directory per partition (TOPIC-N) of log segments named by their base offset, as in Kafka\'s log.dirs.'),
    '## SEE ALSO', visible.map((command) => pageRef(pageName(context.bin, command.id))).join(', '),
  )
  return {name: context.bin, markdown: sections.join('\n\n') + '\n'}
}

const EXIT_STATUS = [
  '* `0`:\n  Success.',
  '* `1`:\n  A failure: the server is not running, a topic does not exist, a record could not be delivered, and so on. One line on stderr says what happened and what to do (with --json, an error object).',
  '* `2`:\n  A usage error: an unknown flag, a bad flag value, a missing argument, or a confirmation that cannot be asked.',
  '* `130`:\n  Interrupted by SIGINT (Ctrl-C).',
].join('\n\n')

const ENVIRONMENT = [
  '* `WEIR_HOME`:\n  The data directory of the local daemon when --data-dir is not given (default ~/.weir).',
  '* `WEIR_BOOTSTRAP_SERVER`:\n  Kafka brokers HOST:PORT[,HOST:PORT..] to use when no connection flag is given.',
  '* `WEIR_LISTEN`:\n  The TCP address HOST:PORT of weir server start when --listen is not given (default 127.0.0.1:9092).',
  '* `NO_COLOR`, `FORCE_COLOR`:\n  Turn coloured output off, or on even when not writing to a terminal.',
  '* `WEIR_DEBUG`:\n  Set to 1 to print the stack trace of an unexpected error.',
].join('\n\n')

function synopsis(line: string, command: ManifestCommand): string {
  const args = Object.values(command.args).map((arg) => {
    const word = `*${arg.name.toUpperCase()}*${command.strict === false ? '...' : ''}`
    return arg.required ? word : `[${word}]`
  })
  return [`\`${line}\``, ...args, '[*FLAGS*]'].join(' ')
}

function groupFlags(flags: readonly ManifestFlag[]): [string, ManifestFlag[]][] {
  const groups = new Map<string, ManifestFlag[]>()
  for (const flag of [...flags].sort((a, b) => a.name.localeCompare(b.name))) {
    const group = flag.helpGroup ? `${flag.helpGroup.toUpperCase()} OPTIONS` : 'OPTIONS'
    groups.set(group, [...(groups.get(group) ?? []), flag])
  }
  // OPTIONS first, the shared groups (connection) after.
  return [...groups.entries()].sort(([a], [b]) => (a === 'OPTIONS' ? -1 : b === 'OPTIONS' ? 1 : a.localeCompare(b)))
}

function flagItem(flag: ManifestFlag): string {
  const long = flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`
  const value = flag.type === 'option' ? `=*${flagValue(flag)}*` : ''
  const names = [`\`${long}\`${value}`]
  if (flag.char) names.push(`\`-${flag.char}\``)
  for (const alias of flag.aliases ?? []) names.push(`\`--${alias}\``)
  const text = [flag.summary, flag.description].filter(Boolean).join(' ')
  const notes: string[] = []
  if (flag.multiple) notes.push('May be repeated.')
  if (flag.default !== undefined && flag.default !== false) notes.push(`Default: ${String(flag.default)}.`)
  return `* ${names.join(', ')}:\n  ${prose([text, ...notes].join(' '))}`
}

function flagValue(flag: ManifestFlag): string {
  if (typeof flag.helpValue === 'string') return flag.helpValue
  if (flag.options && flag.options.length > 0) return flag.options.join('|')
  return 'VALUE'
}

function exampleBlock(example: string | {command: string; description: string}, bin: string, line: string): string {
  const {command, description} = typeof example === 'string' ? {command: example, description: ''} : example
  const code = '    $ ' + expand(command, bin, line)
  return description === '' ? code : `${prose(description)}\n\n${code}`
}

/** oclif help templates: <%= config.bin %> and <%= command.id %>. */
function expand(text: string, bin: string, line: string): string {
  return text
    .replaceAll(/<%=\s*config\.bin\s*%>\s*<%=\s*command\.id\s*%>/g, line)
    .replaceAll(/<%=\s*config\.bin\s*%>/g, bin)
    .replaceAll(/<%=\s*command\.id\s*%>/g, line.split(' ').slice(1).join(' '))
}

function pageRef(name: string): string {
  return `**${name}**(1)`
}

function stripFinalDot(text: string): string {
  return text.replace(/\.$/, '')
}

/** Text as markdown that renders to exactly that text: markdown's own characters escaped. */
export function prose(text: string): string {
  return text.replaceAll(/[\\`*_[\]<>#|~]/g, (char) => `\\${char}`)
}
