import { HttpProblem } from '@flora/service-kit'
import { InvalidRequest, LedgerError } from '../errors.ts'
import type { NodeRouter } from '../http/route-kit.ts'
import type { NodeContext } from '../state/context.ts'
import { besuMethods } from './besu-methods.ts'

const BASE = '/ledger/v4'

type Call = { jsonrpc: '2.0'; method: string; params: unknown[]; id: number | string }

function parseCall(value: unknown): Call {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidRequest('each call must be a JSON-RPC 2.0 object')
  const call = value as Record<string, unknown>
  if (call.jsonrpc !== '2.0') throw new InvalidRequest('"jsonrpc" must be exactly "2.0"')
  if (typeof call.method !== 'string' || call.method.length > 100)
    throw new InvalidRequest('"method" must be a string')
  const params = call.params ?? []
  if (!Array.isArray(params)) throw new InvalidRequest('"params" must be an array')
  const id = call.id
  if (!((typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 100)))
    throw new InvalidRequest('"id" must be a number or string')
  return { jsonrpc: '2.0', method: call.method, params, id }
}

async function run(ctx: NodeContext, call: Call) {
  const method = besuMethods[call.method]
  if (!method) {
    throw Object.assign(new InvalidRequest(`The method ${call.method} requires an access token.`), {
      rpcCode: -32601,
      rpcId: call.id,
    })
  }
  try {
    return { jsonrpc: '2.0' as const, id: call.id, result: await method(ctx.db, call.params) }
  } catch (error) {
    if (error instanceof LedgerError) throw Object.assign(error, { rpcCode: -32602, rpcId: call.id })
    throw error
  }
}

/**
 * Ledger v4 Besu proxy: single or batch JSON-RPC, public read methods only. Errors are
 * problem+json 400 that are also JSON-RPC error responses (`jsonrpc`, `id`, `error`).
 */
export function mountLedger(router: NodeRouter, ctx: NodeContext): void {
  router.post(`${BASE}/blockchains/besu`, async (koa) => {
    const body = koa.request.body as unknown
    try {
      if (Array.isArray(body)) {
        if (body.length === 0 || body.length > 50) throw new InvalidRequest('a batch must hold 1 to 50 calls')
        const calls = body.map(parseCall)
        koa.body = await Promise.all(calls.map((call) => run(ctx, call)))
      } else {
        koa.body = await run(ctx, parseCall(body))
      }
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error
      const { rpcCode, rpcId } = error as LedgerError & { rpcCode?: number; rpcId?: number | string }
      throw new HttpProblem(400, 'Bad Request', {
        detail: error.message,
        extensions:
          rpcId === undefined
            ? {}
            : { jsonrpc: '2.0', id: rpcId, error: { code: rpcCode ?? -32600, message: error.message } },
      })
    }
  })
}
