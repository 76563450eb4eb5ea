// The capture page's promises that need no browser: it stays small, loads nothing it does not ship,
// obeys the Content-Security-Policy, speaks both languages fully and can draw every gesture.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE = path.resolve(here, '../../web/capture');
const GESTURES = path.resolve(here, '../../gestures');
// The budget for the page's own script, before Human and its models.
const SCRIPT_BUDGET = 200 * 1024;

/** Imports one of the page's modules (plain browser JS, so typed here by hand). */
async function pageModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(PAGE, file)).href)) as T;
}

async function pageScripts(): Promise<string[]> {
  return (await readdir(PAGE)).filter((f) => f.endsWith('.js'));
}

describe('the capture page as shipped', () => {
  it(`keeps its own script under ${SCRIPT_BUDGET / 1024} KB`, async () => {
    let total = 0;
    for (const f of await pageScripts()) total += (await stat(path.join(PAGE, f))).size;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(SCRIPT_BUDGET);
  });

  it('has no inline script or style and loads nothing from another origin', async () => {
    const html = await readFile(path.join(PAGE, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const f of [...await pageScripts(), 'index.html', 'styles.css']) {
      const text = await readFile(path.join(PAGE, f), 'utf8');
      // The only absolute URLs allowed are SVG namespaces, which are names, not requests.
      const urls = text.match(/https?:\/\/[^\s"'`)]+/g) ?? [];
      expect(urls.filter((u) => !u.startsWith('http://www.w3.org/')), f).toEqual([]);
    }
  });

  it('references only files that exist', async () => {
    const html = await readFile(path.join(PAGE, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/\/capture\/assets\/([\w.-]+)/g)].map((m) => m[1]);
    expect(assets).toContain('app.js');
    for (const f of await pageScripts()) {
      const text = await readFile(path.join(PAGE, f), 'utf8');
      for (const m of text.matchAll(/from '\.\/([\w.-]+)'/g)) assets.push(m[1]);
    }
    for (const a of assets) await expect(stat(path.join(PAGE, a)), a).resolves.toBeTruthy();
  });

  it('says everything in both English and Chinese, with the same placeholders', async () => {
    const { STRINGS } = await pageModule<{ STRINGS: Record<'en' | 'zh-CN', Record<string, string>> }>('i18n.js');
    const en = STRINGS.en;
    const zh = STRINGS['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(en)) {
      expect(zh[key].trim().length, key).toBeGreaterThan(0);
      expect(holes(zh[key]), key).toEqual(holes(en[key]));
    }
    // Every key the page asks for exists (keys built at run time are listed by their prefixes).
    const app = await readFile(path.join(PAGE, 'app.js'), 'utf8');
    for (const m of app.matchAll(/\bt\('(\w+)'/g)) expect(en[m[1]], m[1]).toBeDefined();
  });

  it('draws every gesture of the library with its own picture', async () => {
    const { gestureFamily, gestureDrawing, whichHand } = await pageModule<{
      gestureFamily(id: string): string;
      gestureDrawing(id: string, label: string): string;
      whichHand(id: string): 'left' | 'right' | null;
    }>('drawings.js');
    const files = (await readdir(GESTURES)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const g = JSON.parse(await readFile(path.join(GESTURES, f), 'utf8')) as { id: string; rule?: { hand?: { which?: string } } };
      expect(gestureFamily(g.id), g.id).not.toBe('generic');
      expect(gestureDrawing(g.id, 'example')).toMatch(/^<svg[^>]*role="img"/);
      // The hand named on screen is the hand the rule checks.
      const which = g.rule?.hand?.which;
      if (which === 'left' || which === 'right') expect(whichHand(g.id), g.id).toBe(which);
    }
    expect(gestureFamily('something-new')).toBe('generic');
  });

  it('keeps its text colours at a contrast of at least 4.5:1', async () => {
    const css = await readFile(path.join(PAGE, 'styles.css'), 'utf8');
    const vars = Object.fromEntries([...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
    const colour = (name: string) => {
      const hex = name.startsWith('#') ? name : vars[name];
      expect(hex, name).toMatch(/^#[0-9a-f]{6}$/i);
      return hex;
    };
    // Text colour on the background it is drawn on, as the stylesheet pairs them.
    const pairs: [string, string][] = [
      ['ink', 'bg'], ['ink', 'card'], ['muted', 'bg'], ['muted', 'card'], ['#ffffff', 'brand'], ['brand', 'card'],
      ['ok', 'bg'], ['ok', 'ok-bg'], ['#ffffff', 'ok'], ['warn', 'warn-bg'], ['warn', 'card'], ['err', 'err-bg'], ['err', 'card'],
    ];
    for (const [fg, bg] of pairs) {
      expect(contrast(colour(fg), colour(bg)), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
