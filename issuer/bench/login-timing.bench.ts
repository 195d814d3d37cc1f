// Whether the issuer's answer time tells which usernames exist at an authority: the medians of 50
// wrong-password logins for an existing and for unknown usernames, interleaved, in the same run.
// Target: within a factor 2 either way. Exits 1 when missed.
import { compareLoginTimes } from '@flora/service-kit/login-timing'
import { addAuthority, bootIssuer } from '../test/helpers/harness.ts'
import { login } from '../test/security/support.ts'

// the throttle out of the way: this measures the password path, not the limits
const issuer = await bootIssuer({ FLORA_ISSUER_LOGIN_THROTTLE: 'client=100000,account-client=100000,account=100000' })
let met = false
try {
  await addAuthority(issuer, { id: 'lds', role: 'RECEPTION_AUTHORITY', accreditedTypes: [] })
  const result = await compareLoginTimes(async (username) => {
    const answer = await login(issuer.url, { username, password: 'a wrong password', authorityId: 'lds' })
    if (answer.status !== 401) throw new Error(`expected 401 for ${username}, got ${answer.status}`)
  }, 'lds-admin')
  met = result.ratio < 2 && result.ratio > 0.5
  console.log(
    `issuer login timing: known ${result.knownMedianMs.toFixed(1)} ms, unknown ${result.unknownMedianMs.toFixed(1)} ms (medians of 50), ratio ${result.ratio.toFixed(2)} (target 0.5–2): ${met ? 'met' : 'MISSED'}`,
  )
} finally {
  await issuer.close()
}
process.exit(met ? 0 : 1)
