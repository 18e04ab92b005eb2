// Test helper: asserts that a promise rejects with an instance of `type`; returns the error.
import {expect} from 'chai'

export async function expectRejection(promise: Promise<unknown>, type: abstract new (...args: never[]) => Error, what = 'the call'): Promise<Error> {
  let settled: unknown = 'resolved'
  await promise.then(
    () => undefined,
    (err: unknown) => (settled = err),
  )
  expect(settled, `${what} should reject with ${type.name}`).to.be.instanceOf(type)
  return settled as Error
}
