import {expect} from 'chai'
import {Cluster} from '../../src/client/cluster.js'
import {CoordinatorLookup, CoordinatorType} from '../../src/client/coordinator-lookup.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {ApiKey, ErrorCode, type ResponseTypes} from '../../src/protocol/index.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'
import {fakeGroups} from './fake-group-admin-apis.js'

describe('CoordinatorLookup', () => {
  let fake: FakeCluster
  let cluster: Cluster

  async function start(options: FakeClusterOptions = {}, requestTimeoutMs = 5000): Promise<CoordinatorLookup> {
    fake = await FakeCluster.start(options)
    const address = fake.nodes[0]!.address
    const bootstrap = 'socket' in address ? {kind: 'unix' as const, path: address.socket} : {kind: 'tcp' as const, host: address.host, port: address.port}
    cluster = await Cluster.connect({bootstrap: [bootstrap], clientId: 'lookup-test', requestTimeoutMs})
    return new CoordinatorLookup(cluster)
  }

  afterEach(async () => {
    cluster?.close()
    await fake.stop()
  })

  it('asks once for several keys (FindCoordinator v4+) and caches the answers', async () => {
    const lookup = await start({transport: 'tcp', nodes: 3})
    const groups = fakeGroups(fake)
    const nodes = await lookup.nodesFor(['a', 'b', 'c', 'a'])
    expect([...nodes]).to.deep.equal([['a', groups.coordinatorOf('a')], ['b', groups.coordinatorOf('b')], ['c', groups.coordinatorOf('c')]])
    expect(await lookup.nodeFor('b')).to.equal(groups.coordinatorOf('b'))
    const requests = fake.requestsOf(ApiKey.FindCoordinator)
    expect(requests).to.have.length(1)
    expect(requests[0]!.body.coordinatorKeys).to.deep.equal(['a', 'b', 'c'])
    expect(requests[0]!.body.keyType).to.equal(CoordinatorType.GROUP)
  })

  it('asks one key per request on brokers before FindCoordinator v4', async () => {
    const lookup = await start({maxVersions: {[ApiKey.FindCoordinator]: 3}})
    const nodes = await lookup.nodesFor(['a', 'b'], CoordinatorType.TRANSACTION)
    expect([...nodes.values()]).to.deep.equal([1, 1])
    const requests = fake.requestsOf(ApiKey.FindCoordinator)
    expect(requests.map((r) => [r.version, r.body.key, r.body.keyType])).to.deep.equal([[3, 'a', 1], [3, 'b', 1]])
  })

  it('asks again while the coordinator is not available, then answers', async () => {
    const lookup = await start()
    let refusals = 2
    fake.intercept(ApiKey.FindCoordinator, (request, context, next) => {
      if (refusals-- <= 0) return next()
      const coordinators = request.coordinatorKeys.map((key) => ({key, nodeId: -1, host: '', port: -1,
        errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: null}))
      return {throttleTimeMs: 0, coordinators} as unknown as ResponseTypes[10]
    })
    expect(await lookup.nodeFor('g')).to.equal(1)
    expect(fake.requestsOf(ApiKey.FindCoordinator)).to.have.length(3)
  })

  it('throws errors that another lookup cannot mend', async () => {
    const lookup = await start()
    fake.intercept(ApiKey.FindCoordinator, (request) => {
      const coordinators = request.coordinatorKeys.map((key) => ({key, nodeId: -1, host: '', port: -1,
        errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, errorMessage: 'not yours'}))
      return {throttleTimeMs: 0, coordinators} as unknown as ResponseTypes[10]
    })
    const error = await lookup.nodeFor('g').then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(KafkaProtocolError)
    expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.GROUP_AUTHORIZATION_FAILED)
    expect((error as Error).message).to.equal('group g: GROUP_AUTHORIZATION_FAILED (not yours)')
  })

  it('follows a coordinator that moved (NOT_COORDINATOR) to the new node', async () => {
    const lookup = await start({transport: 'tcp', nodes: 3})
    const groups = fakeGroups(fake)
    const first = await lookup.nodeFor('g')
    const other = (first % 3) + 1
    groups.moveCoordinator('g', other)
    const response = await lookup.withCoordinator('g', (broker) =>
      broker.connection.request(ApiKey.DeleteGroups, broker.versions.version(ApiKey.DeleteGroups), {groupsNames: ['g']}),
    (body) => body.results[0]!.errorCode)
    expect(response.results[0]!.errorCode).to.equal(ErrorCode.GROUP_ID_NOT_FOUND)
    expect(fake.requestsOf(ApiKey.DeleteGroups).map((r) => r.node)).to.deep.equal([first, other])
    expect(await lookup.nodeFor('g')).to.equal(other)
  })

  it('retries after a dropped connection on a fresh one', async () => {
    const lookup = await start()
    let dropped = false
    fake.intercept(ApiKey.DeleteGroups, (request, context, next) => {
      if (dropped) return next()
      dropped = true
      return 'close'
    })
    const response = await lookup.withCoordinator('g', (broker) =>
      broker.connection.request(ApiKey.DeleteGroups, broker.versions.version(ApiKey.DeleteGroups), {groupsNames: ['g']}),
    (body) => body.results[0]!.errorCode)
    expect(response.results[0]!.errorCode).to.equal(ErrorCode.GROUP_ID_NOT_FOUND)
    expect(fake.requestsOf(ApiKey.DeleteGroups)).to.have.length(2)
  })

  it('gives up with the coordinator error once the request timeout has passed', async () => {
    const lookup = await start({}, 600)
    fake.intercept(ApiKey.DeleteGroups, (request) => ({throttleTimeMs: 0,
      results: request.groupsNames.map((groupId) => ({groupId, errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS}))}) as unknown as ResponseTypes[42])
    const error = await lookup.withCoordinator('g', (broker) =>
      broker.connection.request(ApiKey.DeleteGroups, broker.versions.version(ApiKey.DeleteGroups), {groupsNames: ['g']}),
    (body) => body.results[0]!.errorCode).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(KafkaProtocolError)
    expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS)
    expect(fake.requestsOf(ApiKey.DeleteGroups).length).to.be.greaterThan(1)
  })

  it('sends one batched request per coordinator and re-sends the keys that moved', async () => {
    const lookup = await start({transport: 'tcp', nodes: 2})
    const groups = fakeGroups(fake)
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    await lookup.nodesFor(ids)
    const moved = ids.find((id) => groups.coordinatorOf(id) === 1)!
    groups.moveCoordinator(moved, 2)
    const answers = await lookup.withCoordinators(ids, async (broker, keys) => {
      const response = await broker.connection.request(ApiKey.DeleteGroups, broker.versions.version(ApiKey.DeleteGroups), {groupsNames: keys})
      return response.results
    }, (r) => r.groupId, (r) => r.errorCode)
    expect([...answers.keys()].sort()).to.deep.equal(ids)
    expect([...answers.values()].every((r) => r.errorCode === ErrorCode.GROUP_ID_NOT_FOUND)).to.equal(true)
    const requests = fake.requestsOf(ApiKey.DeleteGroups)
    expect(requests.slice(0, 2).map((r) => r.node).sort()).to.deep.equal([1, 2])
    expect(requests.slice(2).map((r) => [r.node, r.body.groupsNames])).to.deep.equal([[2, [moved]]])
  })
})
