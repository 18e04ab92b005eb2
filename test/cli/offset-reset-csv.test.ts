import {expect} from 'chai'

import {InputError} from '../../src/cli/cli-errors.js'
import {checkFileNamesGroups, csvFields, formatResetCsv, parseResetCsv} from '../../src/cli/offset-reset-csv.js'
import type {PlannedOffset} from '../../src/cli/offset-reset-plan.js'

const plan: PlannedOffset[] = [
  {group: 'billing', topic: 'orders', partition: 0, offset: 5, currentOffset: 3},
  {group: 'billing', topic: 'orders', partition: 1, offset: 0, currentOffset: null},
  {group: 'odd, "group"', topic: 'audit', partition: 0, offset: 12, currentOffset: 12},
]


describe('offset reset CSV', () => {
  it('writes Kafka\'s formats: topic,partition,offset for one group, the group first otherwise', () => {
    expect(formatResetCsv(plan.slice(0, 2), false)).to.deep.equal(['orders,0,5', 'orders,1,0'])
    expect(formatResetCsv(plan, true)).to.deep.equal(['billing,orders,0,5', 'billing,orders,1,0', '"odd, ""group""",audit,0,12'])
  })

  it('reads back what it writes, in both formats', () => {
    const single = parseResetCsv(formatResetCsv(plan.slice(0, 2), false).join('\n') + '\n', 'billing', 'f')
    expect([...single]).to.deep.equal([['billing', [{topic: 'orders', partition: 0, offset: 5}, {topic: 'orders', partition: 1, offset: 0}]]])
    const several = parseResetCsv(formatResetCsv(plan, true).join('\r\n'), null, 'f')
    expect([...several.keys()]).to.deep.equal(['billing', 'odd, "group"'])
    expect(several.get('odd, "group"')).to.deep.equal([{topic: 'audit', partition: 0, offset: 12}])
  })

  it('reads the group form even when one group is named, and only it when several are', () => {
    expect([...parseResetCsv('billing,orders,0,5\nother,orders,0,1', 'billing', 'f').keys()]).to.deep.equal(['billing', 'other'])
    expect(() => parseResetCsv('orders,0,5', null, 'plan.csv')).to.throw(InputError, "plan.csv line 1: expected group,topic,partition,offset, got 'orders,0,5'")
  })

  it('skips blank lines; a later line for the same partition wins', () => {
    expect(parseResetCsv('\norders,0,5\n\norders,0,7\n', 'g', 'f').get('g')).to.deep.equal([{topic: 'orders', partition: 0, offset: 7}])
    expect(parseResetCsv('', 'g', 'f').size).to.equal(0)
  })

  it('names the file and the line of what it cannot read', () => {
    expect(() => parseResetCsv('orders,0,5\norders,1', 'g', 'plan.csv')).to.throw(InputError, "plan.csv line 2: expected topic,partition,offset, got 'orders,1'")
    expect(() => parseResetCsv('orders,x,5', 'g', 'plan.csv')).to.throw(InputError, "plan.csv line 1: the partition must be a whole number, 0 or more, got 'x'")
    expect(() => parseResetCsv('orders,0,-1', 'g', 'plan.csv')).to.throw(InputError, "plan.csv line 1: the offset must be a whole number, 0 or more, got '-1'")
    expect(() => parseResetCsv(',0,1', 'g', 'plan.csv')).to.throw(InputError, 'plan.csv line 1: the topic is empty')
    expect(() => parseResetCsv('"g,orders,0,1', null, 'plan.csv')).to.throw(InputError, 'line 1: expected')
  })

  it('splits quoted and plain fields', () => {
    expect(csvFields('a,"b,c","d""e",')).to.deep.equal(['a', 'b,c', 'd"e', ''])
    expect(csvFields('"a"x,b')).to.equal(null)
    expect(csvFields('"open')).to.equal(null)
  })

  it('needs every named group in the file', () => {
    const offsets = parseResetCsv('a,t,0,1\nb,t,0,2', null, 'f')
    expect(() => checkFileNamesGroups(offsets, ['a', 'b'], 'f')).not.to.throw()
    expect(() => checkFileNamesGroups(offsets, ['a', 'c'], 'plan.csv')).to.throw(InputError, "plan.csv has no offsets for group 'c' (it has 'a', 'b')")
  })
})
