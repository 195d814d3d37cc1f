import { randomBytes, randomUUID } from 'node:crypto'
import type { UnsignedTransaction } from '../../../src/core/index.ts'
import type { Actor } from './actor.ts'

/** Assertion without vitest, so that the benchmark can use this client too. */
function expectStatus(actual: unknown, expected: unknown, message: string): void {
  if (actual !== expected) throw new Error(`expected ${String(expected)}, got ${String(actual)}: ${message}`)
}

export type Api =
  | 'did-registry/v5'
  | 'trusted-issuers-registry/v5'
  | 'trusted-schemas-registry/v3'
  | 'timestamp/v4'

/** The Besu receipt members tests read. */
export interface Receipt {
  status: string
  revertReason?: string
  transactionHash: string
  blockNumber: string
  blockHash: string
}

export interface HttpResult {
  status: number
  contentType: string
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected loosely in tests
  body: any
}

/** A tiny HTTP client for the node (the real client is the client engineer's). */
export class LedgerTestClient {
  private id = 1
  constructor(readonly url: string) {}

  async get(path: string): Promise<HttpResult> {
    return this.result(await fetch(`${this.url}${path}`))
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return this.result(response)
  }

  async postForm(path: string, form: Record<string, string>): Promise<HttpResult> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return this.result(response)
  }

  private async result(response: Response): Promise<HttpResult> {
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body }
  }

  /** POST /authorisation/v4/token with a VP; returns the raw result. */
  async requestToken(
    actor: Actor,
    scope: string,
    credentials: string[] = [],
    options: { nonce?: string; vp?: string; definitionId?: string; lifetimeSeconds?: number | null } = {},
  ) {
    const vp =
      options.vp ??
      (await actor.vp(`${this.url}/authorisation/v4`, credentials, options.nonce, {
        lifetimeSeconds: options.lifetimeSeconds,
      }))
    const descriptorMap =
      credentials.length > 0
        ? [{ id: `${scope}_credential`, format: 'jwt_vc', path: '$.vp.verifiableCredential[0]' }]
        : []
    return this.postForm('/authorisation/v4/token', {
      grant_type: 'vp_token',
      scope: `openid ${scope}`,
      vp_token: vp,
      presentation_submission: JSON.stringify({
        id: randomUUID(),
        definition_id: options.definitionId ?? `${scope}_presentation`,
        descriptor_map: descriptorMap,
      }),
    })
  }

  async token(actor: Actor, scope: string, credentials: string[] = []): Promise<string> {
    const result = await this.requestToken(actor, scope, credentials)
    expectStatus(result.status, 200, JSON.stringify(result.body))
    return result.body.access_token as string
  }

  async rpc(api: Api, method: string, params: unknown[], token?: string): Promise<HttpResult> {
    return this.post(
      `/${api}/jsonrpc`,
      { jsonrpc: '2.0', method, params, id: this.id++ },
      token ? { authorization: `Bearer ${token}` } : {},
    )
  }

  async build(
    api: Api,
    method: string,
    params: Record<string, unknown>,
    token: string,
  ): Promise<UnsignedTransaction> {
    const result = await this.rpc(api, method, [params], token)
    expectStatus(result.status, 200, JSON.stringify(result.body))
    return result.body.result as UnsignedTransaction
  }

  async send(api: Api, signed: unknown, token: string): Promise<HttpResult> {
    return this.rpc(api, 'sendSignedTransaction', [signed], token)
  }

  async receipt(hash: string, timeoutMs = 10_000): Promise<Receipt> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const result = await this.post('/ledger/v4/blockchains/besu', {
        jsonrpc: '2.0',
        method: 'eth_getTransactionReceipt',
        params: [hash],
        id: this.id++,
      })
      if (result.body?.result) return result.body.result as Receipt
      if (Date.now() > deadline) throw new Error(`no receipt for ${hash}`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }

  /** build → sign → send → receipt; returns the receipt. */
  async write(
    actor: Actor,
    api: Api,
    method: string,
    params: Record<string, unknown>,
    token: string,
  ): Promise<Receipt> {
    const unsigned = await this.build(api, method, { from: actor.address, ...params }, token)
    const sent = await this.send(api, actor.sign(unsigned), token)
    expectStatus(sent.status, 200, JSON.stringify(sent.body))
    return this.receipt(sent.body.result as string)
  }

  /** write and expect success */
  async writeOk(
    actor: Actor,
    api: Api,
    method: string,
    params: Record<string, unknown>,
    token: string,
  ): Promise<Receipt> {
    const receipt = await this.write(actor, api, method, params, token)
    expectStatus(receipt.status, '0x1', String(receipt.revertReason))
    return receipt
  }
}

export const randomAttributeId = () => `0x${randomBytes(32).toString('hex')}`
