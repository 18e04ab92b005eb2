import {expect} from 'chai'
import {watchArgv, watchFrames} from '../../src/cli/group-watch.js'

function sink(isTTY: boolean): {isTTY: boolean; text: string; write(text: string): void} {
  return {isTTY, text: '', write(text: string) {
    this.text += text
  }}
}

/** Runs the watch until `frames` frames were rendered. */
async function watchFor(frames: number, out: ReturnType<typeof sink>, err: ReturnType<typeof sink>,
  render: (frame: number) => string[], bare = false): Promise<void> {
  const stop = new AbortController()
  let count = 0
  await watchFrames({
    intervalMs: 10, title: 'weir consumer-groups describe g --watch', out, err, bare, signal: stop.signal,
    now: () => new Date(2024, 0, 1, 9, 5, 7),
    render: async () => {
      const lines = render(count++)
      if (count >= frames) stop.abort()
      return lines
    },
  })
}

describe('consumer-groups --watch', () => {
  it('redraws in place on a terminal: home, lines cleared to their end, the rest cleared', async () => {
    const out = sink(true)
    await watchFor(2, out, sink(false), (frame) => [`frame ${frame}`])
    const header = 'Every 0.01s: weir consumer-groups describe g --watch  09:05:07'
    const frame = (n: number) => `\x1b[H${header}\x1b[K\n\x1b[K\nframe ${n}\x1b[K\n\x1b[J`
    expect(out.text).to.equal(frame(0) + frame(1))
  })

  it('appends frames under their header elsewhere, errors to stderr, and goes on after a failure', async () => {
    const out = sink(false)
    const err = sink(false)
    await watchFor(3, out, err, (frame) => {
      if (frame === 1) throw new Error('connection refused')
      return ['row']
    })
    const header = 'Every 0.01s: weir consumer-groups describe g --watch  09:05:07'
    expect(out.text).to.equal(`${header}\n\nrow\n\n${header}\n\n\n${header}\n\nrow\n\n`)
    expect(err.text).to.equal('Error: connection refused\n')
  })

  it('writes bare lines (one JSON object per frame)', async () => {
    const out = sink(true)
    await watchFor(2, out, sink(false), (frame) => [`{"frame":${frame}}`], true)
    expect(out.text).to.equal('{"frame":0}\n{"frame":1}\n')
  })

  it('puts the default interval after a bare --watch', () => {
    expect(watchArgv(['g', '--watch'], 2)).to.deep.equal(['g', '--watch', '2'])
    expect(watchArgv(['--watch', 'g'], 2)).to.deep.equal(['--watch', '2', 'g'])
    expect(watchArgv(['--watch', '--members', 'g'], 2)).to.deep.equal(['--watch', '2', '--members', 'g'])
    expect(watchArgv(['--watch', '0.5', 'g'], 2)).to.deep.equal(['--watch', '0.5', 'g'])
    expect(watchArgv(['--watch=7', 'g', '--', '--watch'], 2)).to.deep.equal(['--watch=7', 'g', '--', '--watch'])
  })
})
