import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/api-key.js'
import {apiSchemas} from '../../src/protocol/messages/index.js'
import {stripComments} from './kafka-json.js'
import {compareWithKafkaJson} from './schema-compare.js'

describe('schema table', () => {
  it('declares exactly the APIs of ApiKey, under their keys', () => {
    const declared = Object.entries(apiSchemas).map(([key, api]) => [Number(key), api.request.spec.name, api.response.spec.name])
    expect(declared).to.deep.equal(
      Object.entries(ApiKey).map(([name, key]) => [key, `${name}Request`, `${name}Response`]),
    )
  })

  describe("matches Kafka's message JSON field by field", () => {
    compareWithKafkaJson(
      Object.values(apiSchemas).flatMap((api) => [api.request, api.response]).map(({spec}) => ({spec, file: spec.name})),
    )
  })

  it('strips // comments but not // inside strings', () => {
    const text = '// licence\n{"a": "http://x", // note\n "b": 1}'
    expect(JSON.parse(stripComments(text))).to.deep.equal({a: 'http://x', b: 1})
  })
})
