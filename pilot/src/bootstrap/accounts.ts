import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** One demo account: where to sign in, with what. Passwords are generated, never in the repository. */
export interface DemoAccount {
  service: 'issuer' | 'verifier'
  /** Issuer tenant id (issuer accounts). */
  authority?: string
  authorityName?: string
  username: string
  password: string
  role: string
  /** Set once the service has the account. */
  created?: boolean
}

export interface DemoAccountsFile {
  $comment: string
  issuer: string
  verifier: string
  accounts: DemoAccount[]
}

/**
 * The demo accounts file (`data/demo-accounts.json`, mode 0600). A password is generated and written
 * here before the account is created, so an interrupted bootstrap never loses one.
 */
export class DemoAccounts {
  data: DemoAccountsFile

  constructor(
    readonly file: string,
    urls: { issuer: string; verifier: string },
  ) {
    this.data = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccountsFile)
      : {
          $comment:
            'Demo accounts of the FLORA-VC pilot (synthetic test data; generated passwords). Keep this file private.',
          issuer: urls.issuer,
          verifier: urls.verifier,
          accounts: [],
        }
    this.data.issuer = urls.issuer
    this.data.verifier = urls.verifier
  }

  /** The account (generated and saved when new). */
  plan(account: Omit<DemoAccount, 'password' | 'created'>): DemoAccount {
    let existing = this.data.accounts.find((a) => a.service === account.service && a.username === account.username)
    if (!existing) {
      existing = { ...account, password: randomBytes(12).toString('base64url') }
      this.data.accounts.push(existing)
      this.save()
    }
    return existing
  }

  markCreated(account: DemoAccount): void {
    account.created = true
    this.save()
  }

  save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.tmp`
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 })
    chmodSync(temporary, 0o600)
    renameSync(temporary, this.file)
  }
}
