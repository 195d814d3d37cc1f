// The published facts schema is generated from the zod schema, so the two cannot drift apart:
// `npx tsx test/dublin/facts-schema-source.ts --write` regenerates it; a test compares them.
import { writeFileSync } from 'node:fs'
import { z } from 'zod'
import { dublinFactsSchema } from '../../src/dublin/facts.ts'

export const FACTS_SCHEMA_PATH = new URL('../../schemas/dublin-facts.schema.json', import.meta.url)

export function generatedFactsSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(dublinFactsSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>
  return {
    $schema: generated.$schema,
    $id: 'https://flora-vc.example/schemas/dublin-facts.schema.json',
    title: 'FLORA-VC Dublin assessment: facts (input)',
    description:
      'Dated facts of one Dublin case. ISO dates YYYY-MM-DD. Every event fact (eurodacHit, requestSent, reply, reexamination, reexamination.reply, transferDecisionServed, appeal, authoritySuspension, absconded, imprisoned, extensionNotified, transferExecuted) is the event, null (known not to have happened by asOf) or {"notBy": "YYYY-MM-DD"} (not happened up to and including that day, which may not lie after asOf); an absent event fact is unknown, never "not happened". Unknown fields are refused.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  }
}

if (process.argv.includes('--write'))
  writeFileSync(FACTS_SCHEMA_PATH, `${JSON.stringify(generatedFactsSchema(), null, 2)}\n`)
