// The gesture library as shipped, and the loader's promise: a broken file is refused at start with
// a message naming the file and the field.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { compatibleForChallenge, loadGestureLibrary, parseGesture, type Gesture } from '../../../src/gestures/index.js';

const LIBRARY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../gestures');

function aGesture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'thumb-up-test',
    version: 1,
    status: 'draft',
    family: 'thumb-up',
    instructions: { en: 'Make a fist, thumb up.', 'zh-CN': '握拳，拇指向上。' },
    example: 'A fist with the thumb up.',
    rule: { hand: { fingers: { thumb: 'extended', index: 'folded' }, thumbPoints: 'up' } },
    ...overrides,
  };
}

describe('the shipped library', () => {
  let gestures: Gesture[];
  beforeAll(async () => {
    gestures = await loadGestureLibrary(LIBRARY);
  });

  it('every file loads, with at least 24 distinct gestures', () => {
    expect(gestures.length).toBeGreaterThanOrEqual(24);
    expect(new Set(gestures.map((g) => g.id)).size).toBe(gestures.length);
  });

  it('covers the families the product promises', () => {
    const families = new Set(gestures.map((g) => g.family));
    for (const f of ['count-1', 'count-2', 'count-3', 'count-4', 'count-5', 'thumb-up', 'thumb-down', 'ok-circle', 'i-love-you',
      'fist-cheek', 'finger-on-face', 'cover-eye', 'hand-on-head', 'head-turn', 'head-tilt', 'chin-up', 'eyes-closed', 'mouth-open']) {
      expect(families, f).toContain(f);
    }
  });

  it('shows one number in more than one way', () => {
    const twos = gestures.filter((g) => g.family === 'count-2').map((g) => JSON.stringify(g.rule.hand?.fingers));
    expect(new Set(twos).size).toBeGreaterThanOrEqual(3);
  });

  it('has instructions in both languages and an active set to draw from', () => {
    for (const g of gestures) {
      expect(g.instructions['zh-CN'], g.id).toMatch(/[\u4e00-\u9fff]/);
      expect(g.instructions.en, g.id).toMatch(/[a-z]/);
    }
    expect(gestures.filter((g) => g.status === 'active').length).toBeGreaterThanOrEqual(8);
  });

  it('derives which models each gesture needs', () => {
    const byId = new Map(gestures.map((g) => [g.id, g]));
    expect(byId.get('thumb-up')?.needs).toEqual({ hands: true, mesh: false });
    expect(byId.get('finger-on-nose')?.needs).toEqual({ hands: true, mesh: true });
    expect(byId.get('head-turn-left')?.needs).toEqual({ hands: false, mesh: false });
    expect(byId.get('mouth-open')?.needs).toEqual({ hands: false, mesh: true });
  });

  it('left and right variants differ only in the side they ask for', () => {
    const right = gestures.filter((g) => g.rule.hand && /-right(-|$)/.test(g.id));
    expect(right.length).toBeGreaterThanOrEqual(5);
    for (const r of right) {
      const l = gestures.find((g) => g.id === r.id.replace('right', 'left'));
      expect(l, r.id).toBeDefined();
      expect(JSON.stringify(l!.rule).replaceAll('left', 'right')).toBe(JSON.stringify(r.rule).replaceAll('left', 'right'));
      expect(l!.family).toBe(r.family);
    }
  });

  it('composes hundreds of two-gesture challenges, dozens from the measured active set alone', () => {
    const pairs = (set: Gesture[]) => {
      let n = 0;
      for (let i = 0; i < set.length; i++) for (let j = i + 1; j < set.length; j++) if (compatibleForChallenge(set[i], set[j])) n++;
      return n;
    };
    expect(pairs(gestures)).toBeGreaterThanOrEqual(300);
    expect(pairs(gestures.filter((g) => g.status === 'active'))).toBeGreaterThanOrEqual(30);
  });
});

describe('parseGesture refuses bad files with a clear message', () => {
  it('accepts a valid file', () => {
    const g = parseGesture(aGesture(), 'gestures/thumb-up-test.json');
    expect(g.rule.hand?.which).toBe('either');
    expect(g.needs).toEqual({ hands: true, mesh: false });
  });

  it('a stored gesture parses back to itself, its needs recomputed from the rule', () => {
    const g = parseGesture(aGesture(), 'gestures/thumb-up-test.json');
    expect(parseGesture(JSON.parse(JSON.stringify(g)), 'db')).toEqual(g);
    expect(parseGesture({ ...aGesture(), needs: { hands: false, mesh: true } }, 'db').needs).toEqual({ hands: true, mesh: false });
  });

  it.each([
    ['a missing field', () => { const g = aGesture(); delete g.instructions; return g; }, /gestures\/x\.json: instructions: missing required field/],
    ['a missing translation', () => aGesture({ instructions: { en: 'Thumb up please' } }), /instructions\.zh-CN: missing required field/],
    ['an unknown condition', () => aGesture({ rule: { hand: { fingerz: { index: 'extended' } } } }), /rule\.hand\.fingerz: unknown field or condition "fingerz"/],
    ['an unknown finger state', () => aGesture({ rule: { hand: { fingers: { index: 'bent' } } } }), /rule\.hand\.fingers\.index:/],
    ['an unknown place', () => aGesture({ rule: { hand: { position: { at: 'on_shoulder' } } } }), /rule\.hand\.position\.at:/],
    ['an empty rule', () => aGesture({ rule: {} }), /rule: a rule needs a hand or a face part/],
    ['a hand side without facing', () => aGesture({ rule: { hand: { which: 'right' } } }), /rule\.hand\.facing: a left or right hand needs "facing"/],
    ['a reversed range', () => aGesture({ rule: { face: { yaw: { min: 40, max: 20 } } } }), /rule\.face\.yaw: min must be below max/],
    ['a contact without the thumb', () => aGesture({ rule: { hand: { touching: [['index', 'middle']] } } }), /rule\.hand\.touching\.0: a contact pairs the thumb/],
    ['a bad status', () => aGesture({ status: 'live' }), /status:/],
    ['a bad id', () => aGesture({ id: 'Thumb Up' }), /id: lower-case words joined by hyphens/],
  ])('rejects %s', (_name, make, message) => {
    expect(() => parseGesture(make(), 'gestures/x.json')).toThrow(message);
  });
});

describe('loadGestureLibrary', () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const folder = async (files: Record<string, string>) => {
    dir = await mkdtemp(path.join(tmpdir(), 'gestures-'));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    return dir;
  };

  it('rejects a duplicate id, naming both files', async () => {
    const g = JSON.stringify(aGesture());
    await expect(loadGestureLibrary(await folder({ 'thumb-up-test.json': g, 'thumb-up-copy.json': g })))
      .rejects.toThrow(/thumb-up-test\.json: id: duplicate id "thumb-up-test" \(also in .*thumb-up-copy\.json\)/);
  });

  it('rejects a file whose name is not its id', async () => {
    await expect(loadGestureLibrary(await folder({ 'other.json': JSON.stringify(aGesture()) }))).rejects.toThrow(/other\.json: id: "thumb-up-test" must match the file name/);
  });

  it('rejects invalid JSON, naming the file', async () => {
    await expect(loadGestureLibrary(await folder({ 'broken.json': '{ "id": ' }))).rejects.toThrow(/broken\.json: not valid JSON/);
  });

  it('loads a valid folder and ignores other files', async () => {
    const d = await folder({ 'thumb-up-test.json': JSON.stringify(aGesture()), 'README.md': '# notes' });
    expect((await loadGestureLibrary(d)).map((g) => g.id)).toEqual(['thumb-up-test']);
  });

  it('every shipped file is valid JSON that round-trips through the schema', async () => {
    const gestures = await loadGestureLibrary(LIBRARY);
    for (const g of gestures) {
      const raw = JSON.parse(await readFile(path.join(LIBRARY, `${g.id}.json`), 'utf8'));
      expect(parseGesture(raw, g.id).rule).toEqual(g.rule);
    }
  });
});

describe('compatibleForChallenge', () => {
  let byId: Map<string, Gesture>;
  beforeAll(async () => {
    byId = new Map((await loadGestureLibrary(LIBRARY)).map((g) => [g.id, g]));
  });
  const pair = (a: string, b: string) => compatibleForChallenge(byId.get(a)!, byId.get(b)!);

  it.each([
    ['thumb-up', 'mouth-open', true],
    ['victory-right', 'fist-beside-left-cheek', true],
    ['victory-right', 'victory-left', false],
    ['victory-right', 'six-thumb-pinky', false],
    ['open-palm-left', 'open-palm-left', false],
    ['head-turn-left', 'mouth-open', false],
    ['eyes-closed', 'head-turn-left', false],
    ['eyes-closed', 'palm-over-right-eye', false],
    ['eyes-closed', 'thumb-up', true],
    ['thumb-up', 'eyes-closed', true],
    ['palm-over-left-eye', 'eyes-closed', false],
  ] as const)('%s with %s → %s', (a, b, expected) => {
    expect(pair(a, b)).toBe(expected);
    expect(pair(b, a)).toBe(expected);
  });
});
