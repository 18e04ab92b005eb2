import {expect} from 'chai'

import {colourEnabled, palette} from '../../src/cli/colour.js'

const tty = {isTTY: true}
const pipe = {isTTY: false}

describe('colourEnabled', () => {
  it('follows whether the stream is a terminal', () => {
    expect(colourEnabled(tty, {})).to.equal(true)
    expect(colourEnabled(pipe, {})).to.equal(false)
  })

  it('turns off for a non-empty NO_COLOR and for TERM=dumb', () => {
    expect(colourEnabled(tty, {NO_COLOR: '1'})).to.equal(false)
    expect(colourEnabled(tty, {NO_COLOR: ''})).to.equal(true)
    expect(colourEnabled(tty, {TERM: 'dumb'})).to.equal(false)
  })

  it('lets FORCE_COLOR decide over everything else', () => {
    expect(colourEnabled(pipe, {FORCE_COLOR: '1'})).to.equal(true)
    expect(colourEnabled(pipe, {FORCE_COLOR: ''})).to.equal(true)
    expect(colourEnabled(tty, {FORCE_COLOR: '0'})).to.equal(false)
    expect(colourEnabled(tty, {FORCE_COLOR: 'false'})).to.equal(false)
    expect(colourEnabled(pipe, {FORCE_COLOR: '2', NO_COLOR: '1'})).to.equal(true)
  })

  it('gives a chalk that colours only when enabled', () => {
    expect(palette(tty, {NO_COLOR: '1'}).red('x')).to.equal('x')
    expect(palette(pipe, {FORCE_COLOR: '1'}).red('x')).to.not.equal('x')
  })
})
