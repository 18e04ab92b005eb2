import {expect} from 'chai'

import {StreamWriter, isBrokenPipe} from '../../src/cli/output.js'
import {RecordingStream} from './memory-sink.js'

function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE'), {code: 'EPIPE'})
}

describe('StreamWriter', () => {
  it('batches small writes into one stream write at flush', async () => {
    const stream = new RecordingStream()
    const writer = new StreamWriter(stream, 1024)
    writer.writeString('a')
    writer.write(Buffer.from('bc'))
    writer.writeString('→')
    expect(stream.writes).to.have.length(0)
    expect(writer.buffered).to.equal(6)
    await writer.flush()
    expect(stream.writes).to.have.length(1)
    expect(stream.all().toString()).to.equal('abc→')
  })

  it('hands a full chunk to the stream without waiting for flush', () => {
    const stream = new RecordingStream()
    const writer = new StreamWriter(stream, 8)
    writer.writeString('12345')
    writer.writeString('6789')
    expect(stream.all().toString()).to.equal('12345')
    expect(writer.buffered).to.equal(4)
  })

  it('passes writes larger than a chunk through whole and in order', async () => {
    const stream = new RecordingStream()
    const writer = new StreamWriter(stream, 8)
    writer.writeString('ab')
    writer.write(Buffer.from('0123456789'))
    writer.writeString('z'.repeat(20))
    await writer.flush()
    expect(stream.all().toString()).to.equal(`ab0123456789${'z'.repeat(20)}`)
  })

  it('does not let a chunk it handed over be overwritten by later writes', async () => {
    const stream = new RecordingStream({holdCallbacks: true, highWaterMark: 1024 * 1024})
    const writer = new StreamWriter(stream, 64)
    writer.writeString('x'.repeat(40))
    await writer.flush()
    writer.writeString('y'.repeat(40))
    await writer.flush()
    stream.release()
    expect(stream.all().toString()).to.equal('x'.repeat(40) + 'y'.repeat(40))
  })

  it('waits in settle() until a stream that asked for a pause drains', async () => {
    const stream = new RecordingStream({holdCallbacks: true, highWaterMark: 4})
    const writer = new StreamWriter(stream, 8)
    writer.writeString('0123456789')
    let settled = false
    const settling = writer.settle().then(() => {
      settled = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).to.equal(false)
    stream.release()
    await settling
    expect(settled).to.equal(true)
  })

  it('keeps a stream error instead of throwing, resolves closed and drops later writes', async () => {
    const stream = new RecordingStream()
    const writer = new StreamWriter(stream, 8)
    stream.emit('error', brokenPipe())
    expect(isBrokenPipe(await writer.closed)).to.equal(true)
    expect(isBrokenPipe(writer.failure)).to.equal(true)
    writer.writeString('after')
    await writer.flush()
    expect(stream.writes).to.have.length(0)
  })

  it('ends settle() when the stream fails while paused', async () => {
    const stream = new RecordingStream({holdCallbacks: true, highWaterMark: 1})
    const writer = new StreamWriter(stream, 4)
    writer.writeString('12345')
    const settling = writer.settle()
    stream.emit('error', brokenPipe())
    await settling
    expect(writer.failure).to.not.equal(null)
  })

  it('tells a broken pipe from other errors', () => {
    expect(isBrokenPipe(brokenPipe())).to.equal(true)
    expect(isBrokenPipe(Object.assign(new Error('disk'), {code: 'ENOSPC'}))).to.equal(false)
    expect(isBrokenPipe(null)).to.equal(false)
  })
})
