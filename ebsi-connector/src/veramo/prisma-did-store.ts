import type { IIdentifier } from '@veramo/core'
import { AbstractDIDStore } from '@veramo/did-manager'

/** The `ServiceSetting` model every service database has (prisma/models/_common.prisma). */
export interface ServiceSettingDatabase {
  serviceSetting: {
    upsert(args: {
      where: { key: string }
      create: { key: string; value: string }
      update: { value: string }
    }): PromiseLike<unknown>
    findUnique(args: { where: { key: string } }): PromiseLike<{ key: string; value: string } | null>
    findMany(args: { where: { key: { startsWith: string } } }): PromiseLike<{ key: string; value: string }[]>
    deleteMany(args: { where: { key: string } }): PromiseLike<{ count: number }>
  }
}

/**
 * Veramo DID store in a service's own database. Each identifier is one `ServiceSetting` row keyed
 * `veramo-did:<owner>:<did>` holding the identifier (keys as public metadata only), so the store is
 * per owner like the key store.
 */
export class PrismaDidStore extends AbstractDIDStore {
  readonly #db: ServiceSettingDatabase
  readonly #prefix: string

  constructor(options: { db: ServiceSettingDatabase; owner: string }) {
    super()
    this.#db = options.db
    this.#prefix = `veramo-did:${options.owner}:`
  }

  async importDID(args: IIdentifier): Promise<boolean> {
    const value = JSON.stringify({ ...args, keys: args.keys.map(({ privateKeyHex: _p, ...key }) => key) })
    await this.#db.serviceSetting.upsert({
      where: { key: this.#prefix + args.did },
      create: { key: this.#prefix + args.did, value },
      update: { value },
    })
    return true
  }

  async getDID(args: { did: string } | { alias: string }): Promise<IIdentifier> {
    if ('did' in args && args.did) {
      const row = await this.#db.serviceSetting.findUnique({ where: { key: this.#prefix + args.did } })
      if (!row) throw new Error(`not_found: ${args.did}`)
      return JSON.parse(row.value) as IIdentifier
    }
    const alias = (args as { alias: string }).alias
    const found = (await this.listDIDs({ alias }))[0]
    if (!found) throw new Error(`not_found: alias ${alias}`)
    return found
  }

  async deleteDID(args: { did: string }): Promise<boolean> {
    const { count } = await this.#db.serviceSetting.deleteMany({ where: { key: this.#prefix + args.did } })
    return count > 0
  }

  async listDIDs(args: { alias?: string; provider?: string } = {}): Promise<IIdentifier[]> {
    const rows = await this.#db.serviceSetting.findMany({ where: { key: { startsWith: this.#prefix } } })
    return rows
      .map((row) => JSON.parse(row.value) as IIdentifier)
      .filter(
        (id) =>
          (args.alias === undefined || id.alias === args.alias) &&
          (args.provider === undefined || id.provider === args.provider),
      )
  }
}
