// Prisma 6.19's WASM schema engine leaves 10 s / 60 s timers armed after a command has finished,
// which keeps `migrate diff` and `generate` alive for a minute. Unref'ing long timers lets the
// process exit as soon as the real work is done. Loaded only into the Prisma CLI, never at runtime.
const originalSetTimeout = global.setTimeout
global.setTimeout = (fn, ms, ...args) => {
  const timer = originalSetTimeout(fn, ms, ...args)
  if (typeof ms === 'number' && ms >= 5000) timer?.unref?.()
  return timer
}
