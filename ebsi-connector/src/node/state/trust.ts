import { controllingAddresses } from '../did-registry-v5/state.ts'
import type { NodeContext } from './context.ts'

/** TIR issuer types (EBSI numbering). */
export const ISSUER_TYPES: Record<number, string> = { 1: 'RootTAO', 2: 'TAO', 3: 'TI', 4: 'Revoked' }

/** True when the address holds TIR:setAttributeMetadata in the TPR (the Support Office role). */
export async function isAdminAddress(ctx: NodeContext, address: string): Promise<boolean> {
  const attributes = await ctx.tprAttributes(address)
  return Boolean(attributes['TIR:setAttributeMetadata'])
}

/** True when one of the DID's current capabilityInvocation keys is a TPR admin address. */
export async function isAdminDid(ctx: NodeContext, did: string): Promise<boolean> {
  const state = await ctx.dids.current(did)
  if (!state) return false
  for (const address of controllingAddresses(state, ctx.now()))
    if (await isAdminAddress(ctx, address)) return true
  return false
}

/**
 * EBSI's checkController: is `address` a current capabilityInvocation key of `did`, or of one of
 * its controller DIDs?
 */
export async function isControlledBy(ctx: NodeContext, did: string, address: string): Promise<boolean> {
  const state = await ctx.dids.current(did)
  if (!state) return false
  const now = ctx.now()
  const wanted = address.toLowerCase()
  if (controllingAddresses(state, now).some((a) => a.toLowerCase() === wanted)) return true
  for (const controller of state.controllers) {
    if (controller === did) continue
    const other = await ctx.dids.current(controller)
    if (other && controllingAddresses(other, now).some((a) => a.toLowerCase() === wanted)) return true
  }
  return false
}

/** True when the DID holds a RootTAO/TAO accreditation in the TIR (body present, not revoked). */
export async function isAccreditor(ctx: NodeContext, did: string): Promise<boolean> {
  const count = await ctx.db.tirAttribute.count({
    where: { did, issuerType: { in: [1, 2] }, NOT: { body: '' } },
  })
  return count > 0
}
