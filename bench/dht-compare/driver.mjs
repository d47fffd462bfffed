// One run of an npm Kademlia DHT for bench/run dht-compare: starts N nodes in this process,
// every one bound to 127.0.0.1 only (the network rule), joins them, stores V values from
// random nodes, looks each up L/V times from other random nodes, and prints one JSON line.
//
//   node --expose-gc driver.mjs --impl=kad|kad-dht --nodes=N --values=V --lookups=L --payload=OCTETS --seed=S
//
// Latency is the time until the library's own get call completes (kad stops at the first
// value; kad-dht runs its query to the end), as an application waits for it.

import { createRequire } from 'node:module'
import { randomBytes, createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { readFileSync } from 'node:fs'

// libp2p 3 targets Node 22; on Node 20 the one ES2024 built-in it calls is supplied here.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject
    const promise = new this((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}

const require = createRequire(import.meta.url)
const args = Object.fromEntries(process.argv.slice(2).map(a => a.replace(/^--/, '').split('=')))
const impl = args.impl
const N = Number(args.nodes ?? 50)
const V = Number(args.values ?? 20)
const L = Number(args.lookups ?? 100)
const PAYLOAD = Number(args.payload ?? 200)
let rnd = Number(args.seed ?? 1) >>> 0
// A small seeded generator, so both implementations pick the same publisher/asker indices.
function pick (n) {
  rnd = (Math.imul(rnd, 1664525) + 1013904223) >>> 0
  return rnd % n
}
const LOCAL = '127.0.0.1'

function heapUsed () {
  global.gc()
  global.gc()
  return process.memoryUsage().heapUsed
}

function log (msg) {
  process.stderr.write(`[${impl}] ${msg}\n`)
}

// ---------------------------------------------------------------- kad (2.x, UDP transport)

/** kad's storage contract (a levelup subset) kept in a Map: no disk, like our in-memory store. */
class MemoryStorage {
  constructor () { this.items = new Map() }
  get (key, opts, cb) {
    if (typeof opts === 'function') cb = opts
    const v = this.items.get(key)
    setImmediate(() => v === undefined ? cb(Object.assign(new Error('not found'), { notFound: true })) : cb(null, v))
  }
  put (key, value, opts, cb) {
    if (typeof opts === 'function') cb = opts
    this.items.set(key, value)
    setImmediate(() => cb(null))
  }
  del (key, cb) {
    this.items.delete(key)
    setImmediate(() => cb(null))
  }
  createReadStream () {
    return Readable.from([...this.items].map(([key, value]) => ({ key, value })), { objectMode: true })
  }
}

const quietLogger = { debug () {}, info () {}, warn () {}, error () {} }

async function kadRun () {
  const kad = require('kad')
  const base = heapUsed()
  const nodes = []
  for (let i = 0; i < N; i++) {
    const transport = new kad.UDPTransport({ type: 'udp4' })
    const node = kad({ transport, storage: new MemoryStorage(), logger: quietLogger,
      contact: { hostname: LOCAL, port: 0 }, identity: randomBytes(20) })
    await new Promise((resolve, reject) => {
      transport.socket.once('error', reject)
      node.listen(0, LOCAL, resolve)
    })
    node.contact.port = transport.socket.address().port
    nodes.push(node)
  }
  const joinStart = performance.now()
  for (let i = 1; i < N; i++) {
    const seed = nodes[i === 1 ? 0 : pick(i)]
    await new Promise(resolve => nodes[i].join([seed.identity.toString('hex'), seed.contact], () => resolve()))
  }
  const joinSeconds = (performance.now() - joinStart) / 1000
  log(`${N} nodes joined in ${joinSeconds.toFixed(1)} s`)
  const perNode = (heapUsed() - base) / N
  const tableSizes = nodes.map(n => n.router.size)

  const keys = []
  let stored = 0
  for (let v = 0; v < V; v++) {
    const key = createHash('sha1').update(`bench-${v}`).digest('hex')
    const value = randomBytes(PAYLOAD).toString('base64')
    const ok = await new Promise(resolve => nodes[pick(N)].iterativeStore(key, value, (err, n) => resolve(!err && n > 0)))
    if (ok) stored++
    keys.push({ key, value })
  }
  log(`${stored}/${V} values stored`)
  // Count FIND_VALUE requests each lookup sends: the nodes it queried.
  let sent = 0
  const latencies = []
  const queried = []
  let found = 0
  for (let l = 0; l < L; l++) {
    const { key, value } = keys[l % V]
    const asker = nodes[pick(N)]
    const send = asker.send
    asker.send = function (method, ...rest) {
      if (method === 'FIND_VALUE') sent++
      return send.call(this, method, ...rest)
    }
    sent = 0
    const t0 = performance.now()
    const got = await new Promise(resolve => asker.iterativeFindValue(key, (err, item) => resolve(err ? null : item)))
    latencies.push(performance.now() - t0)
    queried.push(sent)
    asker.send = send
    const v = Array.isArray(got) ? null : got && (got.value ?? got)
    if (v === value) found++
  }
  for (const n of nodes) n.transport.socket.close()
  return { joinSeconds, perNode, tableSizes, stored, latencies, queried, found, hops: null }
}

// ---------------------------------------------------------------- @libp2p/kad-dht (TCP + noise + yamux)

async function kadDhtRun () {
  const { createLibp2p } = await import('libp2p')
  const { tcp } = await import('@libp2p/tcp')
  const { noise } = await import('@chainsafe/libp2p-noise')
  const { yamux } = await import('@chainsafe/libp2p-yamux')
  const { identify } = await import('@libp2p/identify')
  const { ping } = await import('@libp2p/ping')
  const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
  const enc = new TextEncoder()
  const dec = new TextDecoder()

  const base = heapUsed()
  const nodes = []
  for (let i = 0; i < N; i++) {
    nodes.push(await createLibp2p({
      addresses: { listen: [`/ip4/${LOCAL}/tcp/0`] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      // Every peer is on 127.0.0.1: the per-host inbound rate limit (5/s) would refuse the joins.
      connectionManager: { maxConnections: 4 * N, inboundConnectionThreshold: 10 * N,
        maxIncomingPendingConnections: N },
      services: {
        identify: identify(),
        ping: ping(),
        dht: kadDHT({
          protocol: '/xp2p-bench/kad/1.0.0',
          clientMode: false,
          // Loopback addresses are all there is here; the default mapper would drop them.
          peerInfoMapper: passthroughMapper,
          validators: { bench: async () => {} },
          selectors: { bench: () => 0 }
        })
      }
    }))
  }
  log(`${N} nodes listening`)
  const joinStart = performance.now()
  for (let i = 1; i < N; i++) {
    const seeds = new Set([0, pick(i), pick(i), pick(i)])
    for (const s of seeds) {
      await nodes[i].dial(nodes[s].getMultiaddrs()[0]).catch(e => log(`dial ${i}->${s}: ${e.message}`))
    }
  }
  // Identify has told each DHT of its connections; a lookup of its own key fills its table further.
  await new Promise(r => setTimeout(r, 1000))
  log(`${N} nodes dialled their seeds in ${((performance.now() - joinStart) / 1000).toFixed(1)} s`)
  for (const n of nodes) {
    for await (const _ of n.services.dht.getClosestPeers(n.peerId.toMultihash().bytes)) { /* drain */ }
  }
  const joinSeconds = (performance.now() - joinStart) / 1000
  log(`${N} nodes joined in ${joinSeconds.toFixed(1)} s`)
  const perNode = (heapUsed() - base) / N
  const tableSizes = nodes.map(n => n.services.dht.routingTable?.size ?? n.getPeers().length)

  const keys = []
  let stored = 0
  for (let v = 0; v < V; v++) {
    const key = enc.encode(`/bench/${createHash('sha1').update(`bench-${v}`).digest('hex')}`)
    const value = randomBytes(PAYLOAD).toString('base64')
    let acks = 0
    try {
      for await (const ev of nodes[pick(N)].services.dht.put(key, enc.encode(value))) {
        if (ev.name === 'PEER_RESPONSE' && ev.messageName === 'PUT_VALUE') acks++
      }
    } catch (e) {
      log(`put ${v}: ${e.message}`)
    }
    if (acks > 0) stored++
    keys.push({ key, value })
  }
  log(`${stored}/${V} values stored`)
  const latencies = []
  const queried = []
  let found = 0
  for (let l = 0; l < L; l++) {
    const { key, value } = keys[l % V]
    const asker = nodes[pick(N)]
    let responses = 0
    let got = null
    const t0 = performance.now()
    try {
      for await (const ev of asker.services.dht.get(key)) {
        if (ev.name === 'PEER_RESPONSE') responses++
        if (ev.name === 'VALUE' && got === null) got = dec.decode(ev.value)
      }
    } catch (e) {
      // a get that finds nothing ends with an error
    }
    latencies.push(performance.now() - t0)
    queried.push(responses)
    if (got === value) found++
  }
  await Promise.all(nodes.map(n => n.stop()))
  return { joinSeconds, perNode, tableSizes, stored, latencies, queried, found, hops: null }
}

const runs = { kad: kadRun, 'kad-dht': kadDhtRun }
if (!runs[impl]) {
  process.stderr.write(`usage: node --expose-gc driver.mjs --impl=${Object.keys(runs).join('|')} --nodes=N ...\n`)
  process.exit(2)
}
if (typeof global.gc !== 'function') {
  process.stderr.write('run with node --expose-gc (memory per node is measured after a collection)\n')
  process.exit(2)
}
const t0 = performance.now()
const r = await runs[impl]()
const sorted = r.tableSizes.slice().sort((a, b) => a - b)
process.stdout.write(JSON.stringify({
  impl, nodes: N, values: V, lookups: L, payloadOctets: PAYLOAD,
  version: JSON.parse(readFileSync(new URL(`node_modules/${impl === 'kad' ? 'kad' : '@libp2p/kad-dht'}/package.json`,
    import.meta.url))).version,
  joinSeconds: r.joinSeconds, heapPerNodeBytes: r.perNode, medianTableSize: sorted[sorted.length >> 1],
  stored: r.stored, found: r.found, latenciesMs: r.latencies, queried: r.queried,
  totalSeconds: (performance.now() - t0) / 1000
}) + '\n')
process.exit(0)
