/** A progress bar on stderr (redrawn in place on a terminal, a line per 10 % otherwise). */
export interface Progress {
  stage(name: string, total: number): void
  tick(): void
  done(): void
}

export const silentProgress: Progress = { stage() {}, tick() {}, done() {} }

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let name = ''
  let total = 0
  let count = 0
  let lastDecile = -1
  const width = 30
  const draw = () => {
    const fraction = total ? count / total : 1
    const filled = Math.round(fraction * width)
    const line = `${name.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count}/${total}`
    if (stream.isTTY) stream.write(`\r${line}`)
    else {
      const decile = Math.floor(fraction * 10)
      if (decile !== lastDecile) {
        lastDecile = decile
        stream.write(`${line}\n`)
      }
    }
  }
  return {
    stage(stageName, stageTotal) {
      if (name && stream.isTTY) stream.write('\n')
      name = stageName
      total = stageTotal
      count = 0
      lastDecile = -1
      draw()
    },
    tick() {
      count++
      draw()
    },
    done() {
      if (stream.isTTY && name) stream.write('\n')
      name = ''
    },
  }
}
