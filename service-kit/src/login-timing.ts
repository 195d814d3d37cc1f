/**
 * Compares how long a service takes to refuse a wrong password for a username that exists and for
 * one that does not. If the two differ, the answer time tells an attacker which usernames exist.
 * This is a measurement, so it belongs in a benchmark (tests assert the scrypt work instead, which
 * does not depend on the machine's load).
 */
export interface LoginTimingComparison {
  knownMedianMs: number
  unknownMedianMs: number
  /** known / unknown */
  ratio: number
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * Times `rounds` wrong-password logins of each kind, interleaved and with the order flipped every
 * round, so that drift in the machine's load falls on both kinds alike.
 * @param attempt sends one login with a wrong password and resolves once it was refused
 */
export async function compareLoginTimes(
  attempt: (username: string) => Promise<void>,
  knownUsername: string,
  rounds = 50,
): Promise<LoginTimingComparison> {
  const timed = async (username: string) => {
    const started = performance.now()
    await attempt(username)
    return performance.now() - started
  }
  await timed(knownUsername) // warm-up: first connection, JIT
  const known: number[] = []
  const unknown: number[] = []
  for (let i = 0; i < rounds; i++) {
    const stranger = `nobody-${i}-${Math.random().toString(36).slice(2, 8)}`
    if (i % 2) {
      known.push(await timed(knownUsername))
      unknown.push(await timed(stranger))
    } else {
      unknown.push(await timed(stranger))
      known.push(await timed(knownUsername))
    }
  }
  const knownMedianMs = median(known)
  const unknownMedianMs = median(unknown)
  return { knownMedianMs, unknownMedianMs, ratio: knownMedianMs / unknownMedianMs }
}
