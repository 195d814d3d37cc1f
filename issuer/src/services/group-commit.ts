/**
 * Group commit: jobs that arrive while a flush is running wait and are written together by the next
 * flush, in one transaction with set-wise statements (a lone job is a group of one). Under load this
 * turns N small transactions into one; when idle a job is flushed at once (no added latency). If a
 * group fails (a replayed key, a moved chain head, ...), each of its jobs is redone on its own through
 * `single` — the careful path with precise errors — so one bad job never fails the others.
 */
export class GroupCommit<J, R> {
  #queue: { job: J; resolve: (value: R) => void; reject: (error: unknown) => void }[] = []
  #flushing = false
  /** Groups committed together, groups that fell back to single jobs, and the largest group. */
  readonly stats: { groups: number; fallbacks: number; largest: number; lastFailure?: string } = {
    groups: 0,
    fallbacks: 0,
    largest: 0,
  }
  /** Why the last group fell back (diagnostics). */
  lastFailure: unknown

  constructor(
    private readonly group: (jobs: J[]) => Promise<R[]>,
    private readonly single: (job: J) => Promise<R>,
    private readonly maxGroup = 256,
    /** Milliseconds a flush waits for more jobs (0: none; a group forms only while a flush runs). */
    private readonly lingerMs = 0,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject })
      if (!this.#flushing) {
        // Start the flush after the requests of this event-loop turn have queued their jobs: with a
        // synchronous database (SQLite) a flush would otherwise finish before the next job arrives,
        // and every job would pay a commit of its own.
        this.#flushing = true
        setImmediate(() => void this.#flush())
      }
    })
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        if (this.lingerMs > 0 && this.#queue.length < this.maxGroup)
          await new Promise((r) => setTimeout(r, this.lingerMs))
        const batch = this.#queue.splice(0, this.maxGroup)
        let results: R[] | undefined
        try {
          results = await this.group(batch.map((entry) => entry.job))
        } catch (error) {
          this.lastFailure = error
          this.stats.lastFailure = (error as Error)?.message?.slice(0, 500)
          results = undefined
        }
        if (results) {
          this.stats.groups++
          this.stats.largest = Math.max(this.stats.largest, batch.length)
          for (const [i, entry] of batch.entries()) entry.resolve(results[i]!)
        } else {
          this.stats.fallbacks++
          for (const entry of batch) await this.single(entry.job).then(entry.resolve, entry.reject)
        }
      }
    } finally {
      this.#flushing = false
    }
  }
}
