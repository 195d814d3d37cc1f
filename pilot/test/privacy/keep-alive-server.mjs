// A stand-in for the ledger's HTTP layer, in a worker thread so that it keeps running (and closes
// idle keep-alive sockets on time) while the test's own thread is blocked in synchronous work.
// Every closed socket increments closedSockets[0] and wakes whoever waits on it.
import { createServer } from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

const closedSockets = new Int32Array(workerData.closedSockets)
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json')
  if (req.method === 'POST') {
    // JSON-RPC batch of the Besu reads: an empty chain (block 0, no transactions)
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const calls = JSON.parse(body)
      res.end(JSON.stringify(calls.map((call) => ({ jsonrpc: '2.0', id: call.id, result: { number: '0x0', transactions: [] } }))))
    })
    return
  }
  res.end(JSON.stringify({ self: req.url, items: [{ id: workerData.servedValue }] }))
})
server.keepAliveTimeout = workerData.keepAliveTimeout
server.on('connection', (socket) =>
  socket.on('close', () => {
    Atomics.add(closedSockets, 0, 1)
    Atomics.notify(closedSockets, 0)
  }),
)
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port))
