// Process wiring of the flora-dublin CLI: read stdin, run, write, exit.
import { runDublinCli } from '../src/dublin/cli.ts'

const chunks: Buffer[] = []
for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
const result = runDublinCli(process.argv.slice(2), Buffer.concat(chunks).toString('utf8'))
if (result.stdout) process.stdout.write(result.stdout)
if (result.stderr) process.stderr.write(result.stderr)
process.exitCode = result.code
