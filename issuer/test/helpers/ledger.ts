import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { credentialSchemaFor } from '@flora/credentials'
import {
  accreditEntity,
  type EbsiClient,
  type EbsiEntity,
  generateKey,
  ISSUER_TYPE,
  issueAccreditation,
  jwkThumbprint,
  LocalSigner,
  newAttributeId,
  onboardEntity,
  publicJwkFromPrivate,
  registerSchema,
} from '@flora/ebsi-connector'
import type { EcPublicJwk } from '@flora/ebsi-connector/core'
import { statusList2021EntrySchema } from '../../src/ledger/status-entry-schema.ts'
import { newDidEbsi } from '../../src/services/onboarding.ts'
import { freePort } from './harness.ts'

const repoRoot = resolve(import.meta.dirname, '../../..')

/**
 * The embedded EBSI ledger node as a separate process (`npm run ledger`'s entry point), as another
 * party runs it: the issuer reaches it over HTTP only.
 */
export async function startLedgerProcess(): Promise<{
  url: string
  operatorFile: string
  stop(): Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'flora-ledger-'))
  const port = await freePort()
  const url = `http://localhost:${port}`
  const operatorFile = join(dir, 'operator.json')
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'ebsi-connector/src/node/main.ts')],
    {
      cwd: join(repoRoot, 'ebsi-connector'),
      env: {
        ...process.env,
        FLORA_LEDGER_HOST: 'localhost',
        FLORA_LEDGER_PORT: String(port),
        FLORA_LEDGER_PUBLIC_URL: url,
        FLORA_LEDGER_DATA_DIR: dir,
        FLORA_LEDGER_DATABASE_URL: `file:${join(dir, 'ledger.db')}`,
        FLORA_LEDGER_OPERATOR_FILE: operatorFile,
        FLORA_LEDGER_BLOCK_INTERVAL_MS: '2',
        FLORA_LOG_LEVEL: process.env.LEDGER_TEST_LOG ?? 'silent',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ledger node exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error('ledger node did not start within 60 s')
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    operatorFile,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function signer(keyType: 'Secp256k1' | 'Secp256r1', privateKey: Uint8Array) {
  const jwk = publicJwkFromPrivate(keyType, privateKey)
  return new LocalSigner(jwkThumbprint(jwk), keyType, jwk, privateKey)
}

function freshEntity(): EbsiEntity {
  return {
    did: newDidEbsi(),
    controller: signer('Secp256k1', generateKey('Secp256k1').privateKey),
    assertion: signer('Secp256r1', generateKey('Secp256r1').privateKey),
  }
}

/** The operator (EBSI Support Office role) from the node's operator file. */
export function operatorEntity(file: string): EbsiEntity {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {
    did: string
    secp256k1PrivateKeyHex: string
    p256PrivateJwk: { d: string }
  }
  return {
    did: parsed.did,
    controller: signer(
      'Secp256k1',
      new Uint8Array(Buffer.from(parsed.secp256k1PrivateKeyHex.replace(/^0x/, ''), 'hex')),
    ),
    assertion: signer('Secp256r1', new Uint8Array(Buffer.from(parsed.p256PrivateJwk.d, 'base64url'))),
  }
}

export interface PilotChain {
  operator: EbsiEntity
  root: EbsiEntity & { attributeId: string }
  tao: EbsiEntity & { attributeId: string }
  schemaUrls: Record<string, string>
  /** A VerifiableAuthorisationToOnboard from the TAO for a new DID and its controller key. */
  authoriseOnboarding(did: string, controllerKey: EcPublicJwk): Promise<string>
  /** Accredits an onboarded entity as a TI for types (TAO pre-registers, the TI registers). */
  accreditTi(subject: EbsiEntity, types: string[]): Promise<string>
}

/**
 * Root TAO (authorised by the operator) → TAO Germany, with the milestone schemas and the
 * StatusList2021 extension schema registered on the TSR — the pilot chain of
 * `ebsi-connector/config/pilot-trust-chain.json`.
 */
export async function bootstrapPilotChain(
  ebsi: EbsiClient,
  operatorFile: string,
  types: string[],
): Promise<PilotChain> {
  const operator = operatorEntity(operatorFile)
  const schemasUrl = ebsi.trustedSchemasRegistry.schemaUrl('').replace(/\/$/, '')
  const schemaUrls: Record<string, string> = {}
  for (const type of types)
    schemaUrls[type] = (
      await registerSchema(ebsi, {
        writer: operator,
        schema: credentialSchemaFor(type) as Record<string, unknown>,
        metadata: { title: type },
      })
    ).url
  schemaUrls.StatusList2021Entry = (
    await registerSchema(ebsi, {
      writer: operator,
      schema: statusList2021EntrySchema as unknown as Record<string, unknown>,
    })
  ).url
  const onboard = async (accreditor: EbsiEntity) => {
    const entity = freshEntity()
    const authorisationToOnboard = await issueAccreditation({
      issuer: { did: accreditor.did, signer: accreditor.assertion },
      subjectDid: entity.did,
      kind: 'VerifiableAuthorisationToOnboard',
      controllerKey: entity.controller.publicKeyJwk,
      schemasUrl,
    })
    await onboardEntity(ebsi, { entity, authorisationToOnboard })
    return entity
  }
  const rootEntity = await onboard(operator)
  const rootAttributeId = newAttributeId()
  const body = await issueAccreditation({
    issuer: { did: operator.did, signer: operator.assertion },
    subjectDid: rootEntity.did,
    kind: 'VerifiableAuthorisationForTrustChain',
    schemasUrl,
    reservedAttributeId: rootAttributeId,
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeMetadata',
    scope: 'tir_write',
    actor: { did: operator.did, controller: operator.controller, authentication: operator.assertion },
    params: {
      did: rootEntity.did,
      attributeId: rootAttributeId,
      issuerType: ISSUER_TYPE.RootTAO,
      taoDid: operator.did,
      taoAttributeId: rootAttributeId,
    },
  })
  await ebsi.transactions.write({
    api: 'trusted-issuers-registry',
    method: 'setAttributeData',
    scope: 'tir_invite',
    actor: { did: rootEntity.did, controller: rootEntity.controller, authentication: rootEntity.assertion },
    credentials: [body],
    params: {
      did: rootEntity.did,
      attributeId: rootAttributeId,
      attributeData: Buffer.from(body).toString('hex').replace(/^/, '0x'),
    },
  })
  const root = { ...rootEntity, attributeId: rootAttributeId }
  const accreditedFor = (list: string[]) =>
    list.map((type) => ({
      schemaId: schemaUrls[type]!,
      types: ['VerifiableCredential', 'VerifiableAttestation', type],
      limitJurisdiction: 'https://publications.europa.eu/resource/authority/atu/DEU',
    }))
  const taoEntity = await onboard(root)
  const { attributeId: taoAttributeId } = await accreditEntity(ebsi, {
    accreditor: root,
    accreditorAttributeId: rootAttributeId,
    subject: taoEntity,
    role: 'TAO',
    accreditedFor: accreditedFor(types),
  })
  const tao = { ...taoEntity, attributeId: taoAttributeId }
  return {
    operator,
    root,
    tao,
    schemaUrls,
    authoriseOnboarding: (did, controllerKey) =>
      issueAccreditation({
        issuer: { did: tao.did, signer: tao.assertion },
        subjectDid: did,
        kind: 'VerifiableAuthorisationToOnboard',
        controllerKey,
        schemasUrl,
      }),
    accreditTi: async (subject, tiTypes) =>
      (
        await accreditEntity(ebsi, {
          accreditor: tao,
          accreditorAttributeId: taoAttributeId,
          subject,
          role: 'TI',
          accreditedFor: accreditedFor(tiTypes),
        })
      ).attributeId,
  }
}
