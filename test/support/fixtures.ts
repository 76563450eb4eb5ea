// Where the shared test photos live, and the rule for when they are missing:
// skip with a clear message on a developer machine, fail in CI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

export const FIXTURES = process.env.REALPERSON_FIXTURES
  ?? path.resolve(here, '../../../shared/fixtures');

export const haveFixtures = existsSync(FIXTURES);

if (!haveFixtures) {
  if (process.env.CI === 'true') {
    throw new Error(`test photos not found at ${FIXTURES}: CI must have ../shared/fixtures (or REALPERSON_FIXTURES)`);
  }
  console.warn(`[realperson tests] ${FIXTURES} is absent: suites that need real photos are skipped`);
}

/** Absolute path of a fixture file, e.g. fixture('faces/human/person-vlado.jpg'). */
export function fixture(relative: string): string {
  return path.join(FIXTURES, relative);
}

/** Reads a labels.tsv / pairs.csv style table into objects keyed by the header row. */
export async function readTable(relative: string): Promise<Record<string, string>[]> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(fixture(relative), 'utf8');
  const sep = relative.endsWith('.csv') ? ',' : '\t';
  const [head, ...rows] = text.split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'));
  const cols = head.split(sep).map((c) => c.trim());
  return rows.map((r) => Object.fromEntries(r.split(sep).map((v, i) => [cols[i], v.trim()])));
}
