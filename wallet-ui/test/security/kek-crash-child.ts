/*
 * Opens the wallet database as the server does at start (openWalletDb: migrations, the key-encryption
 * key, its rotation) and dies by SIGKILL at one step of the rotation, the way a process killed by
 * the OS or a power cut stops: no `finally`, no cleanup. Exit code 3: the step was never reached.
 *
 * Usage: node --import tsx kek-crash-child.ts <database url> <data dir> <step>
 */
import { openWalletDb } from '../../src/lib/server/db.ts'

const [databaseUrl, dataDir, step] = process.argv.slice(2)
if (!databaseUrl || !dataDir || !step) throw new Error('usage: kek-crash-child.ts <database url> <data dir> <step>')

await openWalletDb(
  { databaseUrl, dataDir, kek: undefined },
  {
    onStep: (reached) => {
      if (reached === step) process.kill(process.pid, 'SIGKILL')
    },
  },
)
process.exit(3)
