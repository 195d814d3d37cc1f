import { relative } from 'node:path'
import { parseArgs } from 'node:util'
import { authorityRoles, isAuthorityRole } from '@flora/credentials'
import { onboardAuthority } from '../pilot/src/bootstrap/index.ts'
import { bootstrapOptionsOf } from './stack.ts'

// `npm run onboard -- --name "BAMF Außenstelle Bochum" --role BAMF_BRANCH_OFFICE --jurisdiction DE-NW`
// Onboards one more authority on the running pilot: a tenant in the issuer with its own keys and
// did:ebsi, authorised and accredited by the TAO of its jurisdiction for its role's milestone types,
// with demo staff accounts. No code change: its credentials verify wherever the Root TAO is trusted.
const usage = `Usage: npm run onboard -- --name <name> --role <role> --jurisdiction <ISO 3166-2> [--id <slug>] [--types T1,T2]

  --name           e.g. "BAMF Außenstelle Bochum"
  --role           ${authorityRoles.join(' | ')}
  --jurisdiction   e.g. DE-NW (TAO Germany accredits), FR (TAO France)
  --id             tenant id (default: from the name, e.g. bamf-bochum)
  --types          narrow the role's milestone types

The stack must be running and bootstrapped (npm start).`

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    jurisdiction: { type: 'string' },
    id: { type: 'string' },
    types: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help || !values.name || !values.role || !values.jurisdiction) {
  console.log(usage)
  process.exit(values.help ? 0 : 1)
}
if (!isAuthorityRole(values.role)) {
  console.error(`unknown role ${values.role}\n\n${usage}`)
  process.exit(1)
}
try {
  const result = await onboardAuthority(
    { ...bootstrapOptionsOf(), log: (line) => console.log(`[onboard] ${line}`) },
    {
      name: values.name,
      role: values.role,
      jurisdiction: values.jurisdiction,
      ...(values.id ? { id: values.id } : {}),
      ...(values.types ? { types: values.types.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
    },
  )
  console.log(`\n${result.name} is onboarded${result.actions.length ? '' : ' (it already was)'}:`)
  console.log(`  tenant       ${result.id} (${result.role}, ${result.jurisdiction})`)
  console.log(`  DID          ${result.did}`)
  console.log(`  accredited   ${result.attributeUrl}`)
  console.log(`  by           ${result.tao}`)
  for (const account of result.accounts)
    console.log(`  account      ${account.username} (${account.role}; password in ${relative(process.cwd(), result.accountsFile)})`)
} catch (error) {
  console.error(`onboarding failed: ${(error as Error).message}`)
  process.exit(1)
}
