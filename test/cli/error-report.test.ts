import {Errors} from '@oclif/core'
import {expect} from 'chai'

import {CliError, UsageError} from '../../src/cli/cli-errors.js'
import {errorReport, hintWithDataDir, reportJson, reportLine} from '../../src/cli/error-report.js'

const opts = {commandLine: 'weir topics create', debug: false}

describe('errorReport', () => {
  it('shows a coded error as its message and hint, exit 1, no stack', () => {
    const error = Object.assign(new Error('the Weir server is not running (no socket at /d/weir.sock)'),
      {code: 'WEIR_ERR_NOT_RUNNING', hint: 'start it with: weir server start'})
    const report = errorReport(error, opts)
    expect(report).to.deep.equal({code: 'WEIR_ERR_NOT_RUNNING', message: error.message, hint: 'start it with: weir server start', exit: 1})
    expect(reportLine(report)).to.equal('the Weir server is not running (no socket at /d/weir.sock). Start it with: weir server start')
  })

  it('keeps the exit status of the CLI\'s own errors', () => {
    expect(errorReport(new UsageError('pass --yes'), opts)).to.include({code: 'WEIR_ERR_USAGE', exit: 2})
    expect(errorReport(new CliError('gone', {code: 'WEIR_ERR_X'}), opts)).to.include({exit: 1})
  })

  it('shows Node system errors by their code without a stack', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {code: 'ENOENT'})
    const report = errorReport(error, opts)
    expect(report).to.deep.equal({code: 'ENOENT', message: error.message, exit: 1})
  })

  it('folds a multi-line oclif parse error into one line with exit 2', () => {
    const error = Object.assign(new Errors.CLIError('Nonexistent flag: --bogus\nSee more help with --help'), {parse: {}})
    const report = errorReport(error, opts)
    expect(report).to.deep.equal({code: 'WEIR_ERR_USAGE', message: 'Nonexistent flag: --bogus', hint: 'see: weir topics create --help', exit: 2})
    expect(reportLine(report)).to.equal('Nonexistent flag: --bogus. See: weir topics create --help')
  })

  it('drops oclif\'s list heading and colours from flag validation errors', () => {
    const error = Object.assign(new Errors.CLIError('The following error occurred:\n  \u001B[2m--partitions must be >= 1\u001B[22m\nSee more help with --help'), {parse: {}})
    expect(errorReport(error, opts).message).to.equal('--partitions must be >= 1')
  })

  it('names missing arguments', () => {
    const error = Object.assign(new Errors.CLIError('Missing 1 required arg:\ntopic  Name of the topic\nSee more help with --help'),
      {parse: {}, args: [{name: 'topic'}]})
    expect(errorReport(error, opts).message).to.equal('missing argument TOPIC')
  })

  it('treats an error without a code as a bug: one line, stack only in debug', () => {
    const plain = errorReport(new TypeError('x is undefined'), opts)
    expect(plain.code).to.equal('WEIR_ERR_UNEXPECTED')
    expect(plain.stack).to.equal(undefined)
    expect(reportLine(plain)).to.match(/^x is undefined\. This is a bug in weir; run again with WEIR_DEBUG=1/)
    const debug = errorReport(new TypeError('x is undefined'), {...opts, debug: true})
    expect(debug.stack).to.match(/TypeError: x is undefined\n\s+at /)
    expect(debug).not.to.have.property('hint')
  })

  it('handles thrown non-errors', () => {
    expect(errorReport('just a string', opts)).to.include({message: 'just a string', exit: 1})
  })

  it('gives one JSON error object', () => {
    const report = errorReport(new UsageError('bad', 'do this'), opts)
    expect(reportJson(report)).to.deep.equal({error: {code: 'WEIR_ERR_USAGE', message: 'bad', hint: 'do this', exit: 2}})
  })

  it('does not add a full stop after punctuation', () => {
    expect(reportLine({code: 'X', message: 'refused:', hint: 'retry', exit: 1})).to.equal('refused: Retry')
  })

  it('keeps the case of a message that starts with a name', () => {
    expect(reportLine({code: 'X', message: 'orders/1: OFFSET_OUT_OF_RANGE', exit: 1})).to.equal('orders/1: OFFSET_OUT_OF_RANGE')
  })
})

describe('hintWithDataDir', () => {
  const report = {code: 'WEIR_ERR_NOT_RUNNING', message: 'not running', hint: 'start it with: weir server start', exit: 1}

  it('repeats --data-dir in a hint that names a server command', () => {
    expect(hintWithDataDir(report, '/tmp/my dir').hint).to.equal("start it with: weir server start --data-dir '/tmp/my dir'")
    expect(hintWithDataDir({...report, hint: 'stop it with: weir server stop'}, '/d').hint).to.equal('stop it with: weir server stop --data-dir /d')
  })

  it('leaves other hints, and hints without --data-dir, alone', () => {
    expect(hintWithDataDir(report, undefined)).to.equal(report)
    expect(hintWithDataDir({...report, hint: 'remove /d/.lock'}, '/d').hint).to.equal('remove /d/.lock')
  })
})
