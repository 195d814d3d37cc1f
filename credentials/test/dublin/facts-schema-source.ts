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
      'Dated facts of one Dublin case. ISO dates YYYY-MM-DD. null = known not to have happened by asOf; an absent field is unknown for reply, reexamination.reply and transferExecuted, and counts as not happened for the others. Unknown fields are refused.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  }
}

if (process.argv.includes('--write'))
  writeFileSync(FACTS_SCHEMA_PATH, `${JSON.stringify(generatedFactsSchema(), null, 2)}\n`)
