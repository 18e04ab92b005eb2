import {expect} from 'chai'

import {LineSplitter} from '../../src/cli/line-splitter.js'

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line.toString('latin1')))
  for (const chunk of chunks) splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'latin1'))
  splitter.end()
  return lines
}

describe('LineSplitter', () => {
  it('splits one chunk at each newline', () => {
    expect(split(['a\nbb\nccc\n'])).to.deep.equal(['a', 'bb', 'ccc'])
  })

  it('joins a line that spans chunk boundaries', () => {
    expect(split(['ab', 'cd\nef', '\n'])).to.deep.equal(['abcd', 'ef'])
  })

  it('joins a line spread over many chunks without a newline in between', () => {
    expect(split(['a', 'b', 'c', 'd\ne'])).to.deep.equal(['abcd', 'e'])
  })

  it('delivers a final line without newline at end()', () => {
    expect(split(['one\ntwo'])).to.deep.equal(['one', 'two'])
  })

  it('adds no empty line after a final newline', () => {
    expect(split(['one\n'])).to.deep.equal(['one'])
  })

  it('keeps empty lines, including leading and consecutive ones', () => {
    expect(split(['\n\nx\n\n'])).to.deep.equal(['', '', 'x', ''])
  })

  it('keeps a carriage return before the newline as part of the line', () => {
    expect(split(['a\r\nb\r', '\n'])).to.deep.equal(['a\r', 'b\r'])
  })

  it('handles a newline that is the first byte of a chunk', () => {
    expect(split(['abc', '\ndef\n'])).to.deep.equal(['abc', 'def'])
  })

  it('keeps arbitrary bytes exactly', () => {
    const lines: Buffer[] = []
    const splitter = new LineSplitter((line) => lines.push(Buffer.from(line)))
    splitter.push(Buffer.from([0xff, 0x00, 0x0a, 0xc3]))
    splitter.push(Buffer.from([0x28, 0x0a]))
    splitter.end()
    expect(lines).to.deep.equal([Buffer.from([0xff, 0x00]), Buffer.from([0xc3, 0x28])])
  })

  it('hands out views of the chunk for lines inside it (no copy)', () => {
    const chunk = Buffer.from('abc\ndef\n')
    let first: Buffer | undefined
    const splitter = new LineSplitter((line) => {
      first ??= line
    })
    splitter.push(chunk)
    expect(first?.buffer).to.equal(chunk.buffer)
  })

  it('produces nothing for empty input', () => {
    expect(split([])).to.deep.equal([])
    expect(split([''])).to.deep.equal([])
  })
})
