import {expect} from 'chai'

import {type ManifestCommand, commandLine, commandPage, overviewPage, pageName, prose} from '../../src/cli/man-page-markdown.js'

const create: ManifestCommand = {
  id: 'topics:create',
  summary: 'Create a topic.',
  description: 'Creates TOPIC, as kafka-topics.sh --create does.\n\nA second paragraph about __consumer_offsets.',
  examples: [
    '<%= config.bin %> <%= command.id %> orders',
    {description: 'With three partitions.', command: '<%= config.bin %> <%= command.id %> orders --partitions 3'},
  ],
  args: {topic: {name: 'topic', description: 'Name of the topic.', required: true}},
  flags: {
    partitions: {name: 'partitions', char: 'p', type: 'option', summary: 'Number of partitions.', helpValue: 'N'},
    tcp: {name: 'tcp', type: 'boolean', allowNo: true, summary: 'Listen on TCP.', default: true},
    config: {name: 'config', type: 'option', summary: 'A config.', multiple: true},
    acks: {name: 'acks', type: 'option', summary: 'Acks.', options: ['all', '1', '0'], default: 'all'},
    secret: {name: 'secret', type: 'boolean', hidden: true},
    socket: {name: 'socket', type: 'option', summary: 'Unix socket.', helpGroup: 'CONNECTION', helpValue: 'PATH'},
  },
}
const context = {bin: 'weir', summary: 'A Kafka-compatible event log for one machine'}

describe('man page markdown', () => {
  it('names pages and command lines after the command id', () => {
    expect(pageName('weir', 'topics:create')).to.equal('weir-topics-create')
    expect(commandLine('weir', 'topics:create')).to.equal('weir topics create')
  })

  it('opens with a ronn header and a synopsis', () => {
    const {name, markdown} = commandPage(create, context)
    expect(name).to.equal('weir-topics-create')
    expect(markdown.split('\n')[0]).to.equal('# weir-topics-create(1) -- Create a topic')
    expect(markdown).to.include('## SYNOPSIS\n\n`weir topics create` *TOPIC* [*FLAGS*]')
  })

  it('keeps description paragraphs and escapes markdown characters in them', () => {
    const {markdown} = commandPage(create, context)
    expect(markdown).to.include('Creates TOPIC, as kafka-topics.sh --create does.\n\nA second paragraph about \\_\\_consumer\\_offsets.')
  })

  it('lists visible flags with their values, defaults and groups', () => {
    const {markdown} = commandPage(create, context)
    expect(markdown).to.include('* `--partitions`=*N*, `-p`:\n  Number of partitions.')
    expect(markdown).to.include('* `--[no-]tcp`:\n  Listen on TCP. Default: true.')
    expect(markdown).to.include('* `--config`=*VALUE*:\n  A config. May be repeated.')
    expect(markdown).to.include('* `--acks`=*all|1|0*:\n  Acks. Default: all.')
    expect(markdown).not.to.include('secret')
    expect(markdown.indexOf('## OPTIONS')).to.be.lessThan(markdown.indexOf('## CONNECTION OPTIONS'))
    expect(markdown).to.include('## ENVIRONMENT')
  })

  it('expands oclif templates in examples', () => {
    const {markdown} = commandPage(create, context)
    expect(markdown).to.include('    $ weir topics create orders\n')
    expect(markdown).to.include('With three partitions.\n\n    $ weir topics create orders --partitions 3')
    expect(markdown).not.to.include('<%')
  })

  it('writes an overview page listing every visible command and its page', () => {
    const hidden = {...create, id: 'internal:thing', hidden: true}
    const {name, markdown} = overviewPage([create, hidden], context,
      {topics: {description: 'Manage topics'}, 'consumer-groups': {description: 'Not there yet'}})
    expect(name).to.equal('weir')
    expect(markdown.split('\n')[0]).to.equal('# weir(1) -- A Kafka-compatible event log for one machine')
    expect(markdown).to.include('* `weir topics create`:\n  Create a topic. See **weir-topics-create**(1).')
    expect(markdown).to.include('* `weir topics`:\n  Manage topics')
    expect(markdown).not.to.include('internal')
    expect(markdown).not.to.include('consumer-groups')
  })

  it('escapes exactly markdown\'s own characters', () => {
    expect(prose('a_b *c* `d` [e] <f> #g |h| ~i~ \\j -k.')).to.equal('a\\_b \\*c\\* \\`d\\` \\[e\\] \\<f\\> \\#g \\|h\\| \\~i\\~ \\\\j -k.')
  })
})
