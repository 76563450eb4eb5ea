// Loads the gesture library from its folder of JSON files and validates each one, so a broken file
// stops the service at start with a message naming the file and the field, not at a seller's capture.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { gestureFileSchema, type GestureRule } from './schema.js';

export interface Gesture {
  id: string;
  version: number;
  status: 'draft' | 'active' | 'retired';
  family: string;
  instructions: { en: string; 'zh-CN': string };
  /** description of the drawn example shown to the seller */
  example: string;
  /** which models a photo of this gesture needs; derived from the rule */
  needs: { hands: boolean; mesh: boolean };
  rule: GestureRule;
}

export class GestureFileError extends Error {
  readonly type = 'gesture.invalid_file';
  constructor(readonly source: string, readonly field: string, detail: string) {
    super(`${source}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'GestureFileError';
  }
}

function describe(issue: z.core.$ZodIssue): { field: string; detail: string } {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return { field: field ? `${field}.${issue.keys[0]}` : issue.keys[0], detail: `unknown field or condition ${keys}` };
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return { field, detail: 'missing required field' };
  return { field, detail: issue.message };
}

/** Whether a rule needs the hand models, and the face mesh (eyes, mouth, landmarks near the face). */
function needsOf(rule: GestureRule): Gesture['needs'] {
  return {
    hands: rule.hand !== undefined,
    mesh: Boolean(rule.face?.eyes || rule.face?.mouth || rule.hand?.position),
  };
}

/** Validates one gesture file's parsed JSON; `source` names the file in error messages. */
export function parseGesture(json: unknown, source: string): Gesture {
  const parsed = gestureFileSchema.safeParse(json);
  if (!parsed.success) {
    const { field, detail } = describe(parsed.error.issues[0]);
    throw new GestureFileError(source, field, detail);
  }
  const g = parsed.data;
  return { id: g.id, version: g.version, status: g.status, family: g.family, instructions: g.instructions, example: g.example, needs: needsOf(g.rule), rule: g.rule };
}

/** Every `*.json` in `dir`, validated; ids must be unique and match their file names. */
export async function loadGestureLibrary(dir: string): Promise<Gesture[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const gestures: { gesture: Gesture; source: string; file: string }[] = [];
  for (const file of files) {
    const source = path.join(path.basename(dir), file);
    const text = await readFile(path.join(dir, file), 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new GestureFileError(source, '', `not valid JSON (${(err as Error).message})`);
    }
    gestures.push({ gesture: parseGesture(json, source), source, file });
  }
  // A challenge records only id and version, so two files claiming one id would make it ambiguous.
  const byId = new Map<string, string>();
  for (const { gesture, source } of gestures) {
    const previous = byId.get(gesture.id);
    if (previous) throw new GestureFileError(source, 'id', `duplicate id "${gesture.id}" (also in ${previous})`);
    byId.set(gesture.id, source);
  }
  for (const { gesture, source, file } of gestures) {
    if (`${gesture.id}.json` !== file) throw new GestureFileError(source, 'id', `"${gesture.id}" must match the file name`);
  }
  return gestures.map((g) => g.gesture);
}
