import { InvalidRequest } from '../errors.ts'

/** A JSON-RPC 2.0 request as EBSI's registries take it (params: one object). */
export interface JsonRpcRequest {
  jsonrpc: '2.0'
  method: string
  params: unknown[]
  id: number
}

/** Parses the envelope. @throws InvalidRequest naming the member. */
export function parseJsonRpc(body: unknown): JsonRpcRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidRequest('body must be a JSON-RPC 2.0 object')
  const request = body as Record<string, unknown>
  if (request.jsonrpc !== '2.0') throw new InvalidRequest('"jsonrpc" must be exactly "2.0"')
  if (typeof request.method !== 'string' || request.method.length === 0 || request.method.length > 100) {
    throw new InvalidRequest('"method" must be a string')
  }
  if (!Array.isArray(request.params)) throw new InvalidRequest('"params" must be an array')
  const id = request.id
  // EBSI's registry specs type `id` as an integer
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new InvalidRequest('"id" must be an integer')
  return { jsonrpc: '2.0', method: request.method, params: request.params, id }
}

/** Reads the first params object. @throws InvalidRequest */
export function firstParam(request: JsonRpcRequest): Record<string, unknown> {
  const param = request.params[0]
  if (request.params.length !== 1 || !param || typeof param !== 'object' || Array.isArray(param)) {
    throw new InvalidRequest('"params" must hold exactly one object')
  }
  return param as Record<string, unknown>
}

export function jsonRpcResult(id: number, result: unknown) {
  return { jsonrpc: '2.0' as const, id, result }
}
