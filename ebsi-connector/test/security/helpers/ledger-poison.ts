import { createDb, parseDatabaseUrl } from '@flora/db'
import {
  buildUnsignedTransaction,
  DEFAULT_CHAIN_ID,
  decodeRegistryCall,
  encodeRegistryCall,
  parseSignedRawTransaction,
  REGISTRY_ADDRESSES,
} from '../../../src/core/index.ts'
import { Mempool, pendingMacKey } from '../../../src/node/chain/mempool.ts'
import { loadLedgerConfig } from '../../../src/node/config.ts'
import { RawSql } from '../../../src/node/state/raw-sql.ts'
import type { Actor } from '../../node/helpers/actor.ts'

/**
 * Makes the database itself refuse one timestamp row (a trigger), the way a constraint the node's
 * code did not foresee would: every block holding that transaction fails while the database answers
 * everything else. Returns how to remove the trigger again.
 */
export async function refuseTimestampRow(databaseUrl: string, hash: string): Promise<() => Promise<void>> {
  if (!/^0x[0-9a-f]+$/.test(hash)) throw new Error('hash must be lower-case 0x hex')
  const location = parseDatabaseUrl('ledger', databaseUrl)
  const db = await createDb({ service: 'ledger', url: databaseUrl, migrate: false })
  const run = (sql: string) => db.client.$executeRawUnsafe(sql)
  try {
    if (location.provider === 'sqlite') {
      await run(
        `CREATE TRIGGER "refuse_poison" BEFORE INSERT ON "TsTimestamp" WHEN NEW."hash" = '${hash}' ` +
          `BEGIN SELECT RAISE(ABORT, 'poisoned timestamp row refused'); END`,
      )
    } else {
      const schema = `"${location.schema}"`
      await run(
        `CREATE FUNCTION ${schema}."refuse_poison"() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
          `BEGIN IF NEW."hash" = '${hash}' THEN RAISE EXCEPTION 'poisoned timestamp row refused'; END IF; ` +
          'RETURN NEW; END $$',
      )
      await run(
        `CREATE TRIGGER "refuse_poison" BEFORE INSERT ON ${schema}."TsTimestamp" ` +
          `FOR EACH ROW EXECUTE FUNCTION ${schema}."refuse_poison"()`,
      )
    }
  } finally {
    await db.close()
  }
  return async () => {
    const again = await createDb({ service: 'ledger', url: databaseUrl, migrate: false })
    try {
      if (location.provider === 'sqlite') await again.client.$executeRawUnsafe('DROP TRIGGER "refuse_poison"')
      else
        await again.client.$executeRawUnsafe(`DROP FUNCTION "${location.schema}"."refuse_poison"() CASCADE`)
    } finally {
      await again.close()
    }
  }
}

/**
 * Records `signer`'s timestampHashes call with `hashAlgorithmIds` (and the node's own MAC) in the
 * mempool of a STOPPED node, through the node's own mempool code: a transaction the node will find
 * waiting when it starts, however it got there. Returns its hash.
 */
export async function recordWaitingTimestamp(
  ledger: { dataDir: string; databaseUrl: string },
  signer: Actor,
  args: { hashAlgorithmIds: bigint[]; hashValues: string[] },
): Promise<string> {
  const { config } = loadLedgerConfig({
    FLORA_LEDGER_DATA_DIR: ledger.dataDir,
    FLORA_LEDGER_DATABASE_URL: ledger.databaseUrl,
    FLORA_LEDGER_OPERATOR_FILE: `${ledger.dataDir}/ledger-operator.json`,
  })
  const db = await createDb({ service: 'ledger', url: ledger.databaseUrl, migrate: false })
  try {
    const nextNonce = async (address: string) =>
      (await db.client.accountNonce.findUnique({ where: { address } }))?.nonce ?? 0
    const mempool = new Mempool({
      db: db.client,
      sql: new RawSql(parseDatabaseUrl('ledger', ledger.databaseUrl).schema),
      macKey: pendingMacKey(config.keyEncryptionKey),
    })
    const waiting = await mempool.recover(nextNonce)
    const nonce = Math.max(
      await nextNonce(signer.address),
      ...waiting.filter((tx) => tx.from === signer.address).map((tx) => tx.nonce + 1),
    )
    const to = REGISTRY_ADDRESSES.timestamp
    const data = encodeRegistryCall('timestamp', 'timestampHashes', {
      ...args,
      timestampData: args.hashValues.map(() => '0x'),
    })
    const signed = signer.sign(
      buildUnsignedTransaction({ from: signer.address, to, data, nonce, chainId: DEFAULT_CHAIN_ID }),
    )
    const parsed = parseSignedRawTransaction(signed.signedRawTransaction)
    await mempool.persist(
      {
        hash: parsed.hash,
        raw: signed.signedRawTransaction,
        from: parsed.from,
        to: parsed.to,
        nonce,
        registry: 'timestamp',
        call: decodeRegistryCall(parsed.to, parsed.data),
        sender: signer.did,
        scope: 'timestamp_write',
        isAdmin: false,
      },
      () => {},
    )
    return parsed.hash
  } finally {
    await db.close()
  }
}
