import {expect} from 'chai'
import {ApiKey, codecVersions} from '../../src/protocol/index.js'
import {Connection} from '../../src/client/connection.js'
import {UnsupportedVersionError} from '../../src/client/errors.js'
import {CLIENT_SOFTWARE_NAME} from '../../src/client/software.js'
import {VersionTable, clientRange, negotiateVersions} from '../../src/client/versions.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'

describe('versions', () => {
  describe('VersionTable', () => {
    it('picks the highest version both sides support', () => {
      const table = new VersionTable(new Map([[ApiKey.Produce, {min: 0, max: 7}], [ApiKey.Fetch, {min: 4, max: 999}]]))
      expect(table.version(ApiKey.Produce)).to.equal(7)
      expect(table.version(ApiKey.Fetch)).to.equal(codecVersions[ApiKey.Fetch].max)
    })

    it('refuses an API the broker does not list', () => {
      const table = new VersionTable(new Map())
      expect(() => table.version(ApiKey.CreateTopics)).to.throw(UnsupportedVersionError, /broker does not support CreateTopics v0-/)
    })

    it('refuses when the ranges do not overlap, naming both', () => {
      // Produce v0-2 carry only legacy message sets: this client starts at v3
      const table = new VersionTable(new Map([[ApiKey.Produce, {min: 0, max: 2}]]))
      expect(() => table.version(ApiKey.Produce)).to.throw(
        UnsupportedVersionError,
        `broker does not support Produce v3-${codecVersions[ApiKey.Produce].max} (it offers v0-2)`,
      )
    })

    it('respects a broker minimum above the client maximum', () => {
      const table = new VersionTable(new Map([[ApiKey.Metadata, {min: 50, max: 60}]]))
      expect(() => table.version(ApiKey.Metadata)).to.throw(UnsupportedVersionError)
    })

    it('keeps the client minimums where the codec goes lower', () => {
      expect(clientRange(ApiKey.Produce).min).to.equal(3)
      expect(clientRange(ApiKey.Fetch).min).to.equal(4)
      expect(clientRange(ApiKey.ApiVersions).min).to.equal(0)
    })
  })

  describe('negotiateVersions', () => {
    let cluster: FakeCluster
    let connection: Connection

    async function negotiate(options: FakeClusterOptions): Promise<VersionTable> {
      cluster = await FakeCluster.start(options)
      const socket = (cluster.clientOptions as {socket: string}).socket
      connection = await Connection.open({address: {kind: 'unix', path: socket}, clientId: 'test', requestTimeoutMs: 5000})
      return negotiateVersions(connection)
    }

    afterEach(async () => {
      connection.close()
      await cluster.stop()
    })

    it('sends ApiVersions v3 with the client software name first', async () => {
      const table = await negotiate({})
      const sent = cluster.requestsOf(ApiKey.ApiVersions)
      expect(sent.map((r) => r.version)).to.deep.equal([3])
      expect(sent[0]!.body.clientSoftwareName).to.equal(CLIENT_SOFTWARE_NAME)
      expect(sent[0]!.body.clientSoftwareVersion).to.match(/^[a-zA-Z0-9.-]+$/)
      expect(table.version(ApiKey.Fetch)).to.equal(codecVersions[ApiKey.Fetch].max)
    })

    it('retries at the ApiVersions version the broker names after UNSUPPORTED_VERSION', async () => {
      const table = await negotiate({maxVersions: {[ApiKey.ApiVersions]: 1, [ApiKey.Produce]: 7}})
      expect(cluster.requestsOf(ApiKey.ApiVersions).map((r) => r.version)).to.deep.equal([3, 1])
      expect(table.version(ApiKey.Produce)).to.equal(7)
    })

    it('falls back to v0 when the broker names no ApiVersions range', async () => {
      const table = await negotiate({maxVersions: {[ApiKey.ApiVersions]: 0}, missingApis: [ApiKey.ApiVersions]})
      expect(cluster.requestsOf(ApiKey.ApiVersions).map((r) => r.version)).to.deep.equal([3, 0])
      expect(table.version(ApiKey.Metadata)).to.equal(codecVersions[ApiKey.Metadata].max)
    })

    it('keeps requests non-flexible against a broker without flexible versions', async () => {
      const table = await negotiate({maxVersions: {[ApiKey.ApiVersions]: 2, [ApiKey.Metadata]: 8, [ApiKey.Fetch]: 11}})
      expect(table.version(ApiKey.Metadata)).to.equal(8)
      const answer = await connection.request(ApiKey.Metadata, table.version(ApiKey.Metadata), {
        topics: null,
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      })
      expect(answer.controllerId).to.equal(1)
    })
  })
})
