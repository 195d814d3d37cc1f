import { getAddress } from 'ethers'
import {
  buildUnsignedTransaction,
  checkSignedTransaction,
  decodeRegistryCall,
  encodeRegistryCall,
  REGISTRY_ADDRESSES,
  type RegistryName,
  type UnsignedTransaction,
} from '../../core/index.ts'
import { parseInput } from '@flora/service-kit'
import { type AccessTokenClaims, bearerOf } from '../authorisation-v4/access-token.ts'
import { checkOnboardingInsert } from '../authorisation-v4/onboarding-binding.ts'
import { InsufficientScope, InvalidRequest, InvalidTransaction, NotAuthorised, Revert } from '../errors.ts'
import { firstParam, jsonRpcResult, parseJsonRpc } from '../http/jsonrpc.ts'
import type { NodeContext } from '../state/context.ts'
import { isAdminAddress, isControlledBy } from '../state/trust.ts'
import { type BuildMethod, requireBuildableCall } from './build-method.ts'
import type { ExecutionEnv, RegistryMethod } from './execution.ts'
import { sendSchema } from './send-schema.ts'

export type { BuildMethod } from './build-method.ts'

/** One registry's JSON-RPC surface: build methods plus their state rules. */
export interface RegistryRpc {
  registry: RegistryName
  builders: Record<string, BuildMethod>
  methods: Record<string, RegistryMethod>
  /** Network checks before a send is accepted (TIR proxy test); never inside a block. */
  beforeSend?: (
    ctx: NodeContext,
    call: ReturnType<typeof decodeRegistryCall>,
    sender: string,
  ) => Promise<void>
}

/**
 * POST /{registry}/jsonrpc: EBSI's write pattern. Build methods return the unsigned tx (after
 * the state rules are checked against the current state); sendSignedTransaction checks the raw
 * tx against the unsigned one, the signer, chainId and `to`, the method against the token scope,
 * the call's arguments (the build params' schema and the method's state-free rules: a signer can
 * put any bytes in `data`), that the token's DID is controlled by the signer, and the account
 * nonce; then records the tx (durably) for the next block and returns its hash.
 */
export async function handleRegistryRpc(
  ctx: NodeContext,
  rpc: RegistryRpc,
  authorization: string | undefined,
  body: unknown,
) {
  const request = parseJsonRpc(body)
  const token = await ctx.tokens.verify(bearerOf(authorization))
  if (request.method === 'sendSignedTransaction') {
    return jsonRpcResult(request.id, await sendSignedTransaction(ctx, rpc, token, firstParam(request)))
  }
  const builder = rpc.builders[request.method]
  const method = rpc.methods[request.method]
  if (!builder || !method) throw new InvalidRequest(`method ${request.method} is not supported`)
  if (!method.scopes.includes(token.scope)) {
    throw new InsufficientScope(`${request.method} requires one of the scopes ${method.scopes.join(', ')}`)
  }
  const params = parseInput(builder.params, firstParam(request), 'params') as Record<string, unknown> & {
    from: string
  }
  const data = encodeRegistryCall(rpc.registry, request.method, builder.toArgs(params))
  const call = decodeRegistryCall(REGISTRY_ADDRESSES[rpc.registry], data)
  if (isOnboardingInsert(call, token)) checkOnboardingInsert(call.args, token, params.from)
  method.validate(call.args)
  const env = await envFor(ctx, params.from, token.sub, token.scope)
  await method.check(ctx.db, call, env)
  if (rpc.beforeSend) await rpc.beforeSend(ctx, call, token.sub)
  const unsigned: UnsignedTransaction = buildUnsignedTransaction({
    from: params.from,
    to: REGISTRY_ADDRESSES[rpc.registry],
    data,
    nonce: await ctx.nonces.nextNonce(params.from),
    chainId: ctx.config.chainId,
  })
  return jsonRpcResult(request.id, unsigned)
}

async function envFor(ctx: NodeContext, from: string, sender: string, scope: string): Promise<ExecutionEnv> {
  const address = getAddress(from.toLowerCase())
  return {
    now: ctx.now(),
    blockNumber: -1,
    txHash: '',
    from: address,
    sender,
    scope,
    isAdmin: await isAdminAddress(ctx, address),
    sql: ctx.sql,
  }
}

async function sendSignedTransaction(
  ctx: NodeContext,
  rpc: RegistryRpc,
  token: AccessTokenClaims,
  param: Record<string, unknown>,
): Promise<string> {
  const params = parseInput(sendSchema, param, 'params')
  let parsed: ReturnType<typeof checkSignedTransaction>
  try {
    parsed = checkSignedTransaction(params)
  } catch (error) {
    throw new InvalidTransaction((error as Error).message, { cause: error })
  }
  if (parsed.chainId !== BigInt(ctx.config.chainId))
    throw new InvalidTransaction(`"chainId" must be 0x${ctx.config.chainId.toString(16)}`)
  if (parsed.to !== REGISTRY_ADDRESSES[rpc.registry])
    throw new InvalidTransaction(`"to" must be the ${rpc.registry} contract`)
  let call: ReturnType<typeof decodeRegistryCall>
  try {
    call = decodeRegistryCall(parsed.to, parsed.data)
  } catch (error) {
    throw new InvalidTransaction((error as Error).message, { cause: error })
  }
  const method = rpc.methods[call.method]
  const builder = rpc.builders[call.method]
  if (!method || !builder) throw new InvalidTransaction(`method ${call.method} is not supported`)
  if (!method.scopes.includes(token.scope))
    throw new InsufficientScope(`${call.method} is not allowed with scope ${token.scope}`)
  requireBuildableCall(rpc.registry, builder, call, parsed)
  requireValidArguments(method, call)
  await checkSignerControlsSender(ctx, call, parsed.from, token)
  if (rpc.beforeSend) await rpc.beforeSend(ctx, call, token.sub)
  const isAdmin = await isAdminAddress(ctx, parsed.from)
  const nonce = Number(parsed.nonce)
  await ctx.nonces.nextNonce(parsed.from)
  ctx.nonces.reserve(parsed.from, nonce)
  try {
    // durable before the hash is answered: an accepted transaction survives a crash or an outage
    await ctx.producer.accept({
      hash: parsed.hash,
      raw: params.signedRawTransaction,
      from: parsed.from,
      to: parsed.to,
      nonce,
      registry: rpc.registry,
      call,
      sender: token.sub,
      scope: token.scope,
      isAdmin,
    })
  } catch (error) {
    ctx.nonces.release(parsed.from, nonce)
    throw error
  }
  return parsed.hash
}

/** The method's state-free rules at send: a failure refuses the transaction (400), nothing is accepted. */
function requireValidArguments(method: RegistryMethod, call: ReturnType<typeof decodeRegistryCall>): void {
  try {
    method.validate(call.args)
  } catch (error) {
    if (!(error instanceof Revert)) throw error
    throw new InvalidTransaction(`the arguments of ${call.method} are not valid: ${error.message}`, {
      cause: error,
    })
  }
}

/** insertDidDocument under didr_invite: onboarding, the one write whose DID does not exist yet. */
function isOnboardingInsert(call: ReturnType<typeof decodeRegistryCall>, token: AccessTokenClaims): boolean {
  return call.method === 'insertDidDocument' && token.scope === 'didr_invite'
}

/**
 * The token's DID must be controlled by the signer. Onboarding is the exception: the DID does not
 * exist yet, so it must be the token's DID, and the inserted key the one the token is bound to,
 * signed by that key.
 */
async function checkSignerControlsSender(
  ctx: NodeContext,
  call: ReturnType<typeof decodeRegistryCall>,
  from: string,
  token: AccessTokenClaims,
): Promise<void> {
  if (isOnboardingInsert(call, token)) {
    checkOnboardingInsert(call.args, token, from)
    return
  }
  if (!(await isControlledBy(ctx, token.sub, from))) {
    throw new NotAuthorised(`the access token subject ${token.sub} is not controlled by the signer ${from}`)
  }
}
