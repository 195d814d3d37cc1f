// Whether the verifier's answer time tells which usernames exist: the medians of 50 wrong-password
// logins for an existing and for unknown usernames, interleaved, in the same run. Target: within a
// factor 2 either way. Exits 1 when missed.
import { compareLoginTimes } from '@flora/service-kit/login-timing'
import { ADMIN, login, startTestVerifier } from '../test/security/support.ts'

// the throttle out of the way: this measures the password path, not the limits
const verifier = await startTestVerifier({
  FLORA_VERIFIER_LOGIN_THROTTLE: 'client=100000,account-client=100000,account=100000',
})
let met = false
try {
  const result = await compareLoginTimes(async (username) => {
    const answer = await login(verifier.url, { username, password: 'a wrong password' })
    if (answer.status !== 401) throw new Error(`expected 401 for ${username}, got ${answer.status}`)
  }, ADMIN.username)
  met = result.ratio < 2 && result.ratio > 0.5
  console.log(
    `verifier login timing: known ${result.knownMedianMs.toFixed(1)} ms, unknown ${result.unknownMedianMs.toFixed(1)} ms (medians of 50), ratio ${result.ratio.toFixed(2)} (target 0.5–2): ${met ? 'met' : 'MISSED'}`,
  )
} finally {
  await verifier.close()
}
process.exit(met ? 0 : 1)
