import {expect} from 'chai'
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {manFieldMismatch, renderRoff, writeManPages} from '../../src/cli/man-pages.js'

describe('man pages', () => {
  let root: string

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'weir-man-'))
    writeFileSync(join(root, 'package.json'), JSON.stringify({
      version: '9.8.7',
      description: 'An event log',
      oclif: {bin: 'weir', topics: {topics: {description: 'Manage topics'}}},
    }))
    writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify({
      version: '9.8.7',
      commands: {
        'topics:list': {id: 'topics:list', summary: 'List topics.', description: 'Prints names.', args: {},
          flags: {json: {name: 'json', type: 'boolean', summary: 'Print JSON.'}}, examples: ['<%= config.bin %> <%= command.id %>']},
        produce: {id: 'produce', summary: 'Write records.', args: {topic: {name: 'topic', required: true}}, flags: {}},
      },
    }))
  })

  afterEach(() => rmSync(root, {recursive: true, force: true}))

  it('renders roff with marked-man: title, version, sections and options', () => {
    const roff = renderRoff('# weir-x(1) -- do x\n\n## OPTIONS\n\n* `--json`:\n  Print JSON.\n', '1.2.3')
    expect(roff).to.match(/^\.TH "WEIR\\-X" "1" ".*" "1\.2\.3" "Weir Manual"/m)
    expect(roff).to.match(/^\.SH "?OPTIONS"?/m)
    expect(roff).to.include('\\-\\-json')
  })

  it('writes the overview page and one page per command into man/', () => {
    const written = writeManPages(root)
    expect(written).to.deep.equal(['./man/weir.1', './man/weir-produce.1', './man/weir-topics-list.1'])
    expect(readdirSync(join(root, 'man')).sort()).to.deep.equal(['weir-produce.1', 'weir-topics-list.1', 'weir.1'])
    expect(readFileSync(join(root, 'man', 'weir-topics-list.1'), 'utf8')).to.match(/^\.TH "WEIR\\-TOPICS\\-LIST" "1" ".*" "9\.8\.7"/m)
    expect(readFileSync(join(root, 'man', 'weir.1'), 'utf8')).to.include('weir\\-topics\\-list')
  })

  it('compares package.json "man" with the pages written, with or without ./', () => {
    expect(manFieldMismatch(['./man/weir.1', 'man/weir-produce.1'], ['./man/weir.1', './man/weir-produce.1'])).to.deep.equal({unlisted: [], missing: []})
    expect(manFieldMismatch(['./man/weir.1', './man/old.1'], ['./man/weir.1', './man/new.1'])).to.deep.equal({unlisted: ['./man/new.1'], missing: ['./man/old.1']})
  })
})
