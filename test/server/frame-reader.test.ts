import {expect} from 'chai'
import {FrameError, FrameReader} from '../../src/server/frame-reader.js'
import {RequestMemory} from '../../src/server/request-memory.js'

const framed = (...payloads: string[]) => Buffer.concat(payloads.map(p => {
  const size = Buffer.alloc(4)
  size.writeInt32BE(Buffer.byteLength(p))
  return Buffer.concat([size, Buffer.from(p)])
}))

describe('FrameReader', () => {
  it('returns every whole frame of a chunk, in order', () => {
    const frames = new FrameReader().push(framed('one', 'two', ''))
    expect(frames.map(f => f.toString())).to.deep.equal(['one', 'two', ''])
  })

  it('reassembles frames and size prefixes split at every byte', () => {
    const bytes = framed('hello', 'world!', '')
    const reader = new FrameReader()
    const frames = [...bytes].flatMap(byte => reader.push(Buffer.from([byte])))
    expect(frames.map(f => f.toString())).to.deep.equal(['hello', 'world!', ''])
    expect(reader.idle).to.equal(true)
  })

  it('reassembles a frame spread over uneven chunks', () => {
    const bytes = framed('a'.repeat(1000), 'b')
    const reader = new FrameReader()
    const frames = [bytes.subarray(0, 3), bytes.subarray(3, 500), bytes.subarray(500, 1006), bytes.subarray(1006)]
      .flatMap(chunk => reader.push(chunk))
    expect(frames.map(f => f.length)).to.deep.equal([1000, 1])
  })

  it('hands out one frame at a time, keeping the rest of a chunk buffered', () => {
    const reader = new FrameReader()
    reader.append(framed('one', 'two'))
    expect(reader.next()?.toString()).to.equal('one')
    expect(reader.hasBuffered).to.equal(true)
    expect(reader.next()?.toString()).to.equal('two')
    expect(reader.next()).to.equal(null)
    expect(reader.hasBuffered).to.equal(false)
    expect(reader.idle).to.equal(true)
  })

  it('takes a frame only once its size is reserved, and passes the reservation on', () => {
    const memory = new RequestMemory(10)
    memory.tryReserve(8)
    const reader = new FrameReader(100, memory)
    reader.append(framed('four', 'x'))
    expect(reader.next()).to.equal(null)
    expect(reader.blocked).to.equal(true)
    memory.release(8)
    expect(reader.next()?.toString()).to.equal('four')
    expect(reader.next()?.toString()).to.equal('x')
    expect(memory.held).to.equal(5)
  })

  it('reserves a frame spanning chunks before allocating it, and gives it back on discard', () => {
    const memory = new RequestMemory(1000)
    memory.tryReserve(990)
    const reader = new FrameReader(1000, memory)
    const bytes = framed('a'.repeat(500))
    reader.append(bytes.subarray(0, 2))
    reader.append(bytes.subarray(2, 100))
    expect(reader.next()).to.equal(null)
    expect(reader.blocked).to.equal(true)
    memory.release(990)
    expect(reader.next()).to.equal(null)
    expect(reader.blocked).to.equal(false)
    expect(memory.held).to.equal(500)
    reader.discard()
    expect(memory.held).to.equal(0)
  })

  it('refuses a negative size', () => {
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).to.throw(FrameError, /negative/)
  })

  it('refuses a frame above the limit, before reading it', () => {
    const size = Buffer.alloc(4)
    size.writeInt32BE(101)
    expect(() => new FrameReader(100).push(size)).to.throw(FrameError, /exceeds the limit/)
  })
})
