/**
 * `compute` remembered per object, held weakly (forgotten with the object). For what depends only
 * on a parsed credential's bytes: parsed credentials are shared by the verifications of the same
 * bytes (see checkJwtHeaderOnce), so a re-checked case does not work it out again.
 */
export function rememberedPer<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>()
  return (key) => {
    const known = memo.get(key)
    if (known !== undefined || memo.has(key)) return known as V
    const value = compute(key)
    memo.set(key, value)
    return value
  }
}

/**
 * The ISO 8601 form of a Date, once per Date object: the pipeline clock of a verification (shared by
 * its credentials) and a cached status list's fetch time. Neither is ever changed after creation.
 */
export const isoString = rememberedPer((at: Date) => at.toISOString())
