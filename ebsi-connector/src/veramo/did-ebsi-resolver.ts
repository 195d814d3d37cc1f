import type { DIDResolutionResult, DIDResolver, ResolverRegistry } from 'did-resolver'
import { isDidEbsi } from '../core/index.ts'
import { DidRegistryApi, EbsiHttp, EbsiNotFound } from '../client/index.ts'

/** Options of {@link getDidEbsiResolver}. */
export interface DidEbsiResolverOptions {
  /** Origin of the EBSI APIs (the DIDR is at `/did-registry/v5`). */
  baseUrl?: string
  /** Or a ready DIDR client. */
  didRegistry?: DidRegistryApi
}

/**
 * did-resolver registry entry for `did:ebsi`, reading the DID Registry v5. Honours `valid-at`
 * given as a DID URL query (`did:ebsi:z…?valid-at=2025-01-01T00:00:00Z`) or as the resolution
 * option `validAt` / `valid-at`, returning the document as it was at that instant.
 */
export function getDidEbsiResolver(options: DidEbsiResolverOptions): ResolverRegistry {
  const registry =
    options.didRegistry ?? new DidRegistryApi(new EbsiHttp({ baseUrl: options.baseUrl ?? throwMissing() }))
  const resolve: DIDResolver = async (
    did,
    parsed,
    _resolver,
    resolutionOptions,
  ): Promise<DIDResolutionResult> => {
    const base = parsed.did
    if (!isDidEbsi(base)) return failure('invalidDid', `${base} is not a legal-entity did:ebsi`)
    const query = new URLSearchParams(parsed.query ?? '')
    const validAt =
      query.get('valid-at') ??
      ((resolutionOptions as Record<string, unknown>)['valid-at'] as string | undefined) ??
      ((resolutionOptions as Record<string, unknown>)['validAt'] as string | undefined)
    try {
      const didDocument = await registry.resolve(base, validAt ? { validAt } : {})
      return {
        didDocument,
        didDocumentMetadata: {},
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
      }
    } catch (error) {
      if (error instanceof EbsiNotFound) return failure('notFound', `${did} is not in the DID Registry`)
      return failure('internalError', (error as Error).message)
    }
  }
  return { ebsi: resolve }
}

function failure(error: string, message: string): DIDResolutionResult {
  return { didDocument: null, didDocumentMetadata: {}, didResolutionMetadata: { error, message } }
}

function throwMissing(): never {
  throw new TypeError('getDidEbsiResolver needs "baseUrl" or "didRegistry"')
}
