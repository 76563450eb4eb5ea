// The OCR engine: language data from the installed packages only, workers shared by queued jobs.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcr, type Ocr } from '../../../src/ocr/index.js';
import { sharp } from './pages.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';

async function textImage(text: string, right = ''): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="160"><rect width="100%" height="100%" fill="white"/>
    <text x="30" y="100" font-family="DejaVu Sans" font-size="56">${text}</text>
    <text x="560" y="100" font-family="DejaVu Sans" font-size="56">${right}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

let ocr: Ocr;
let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(path.join(tmpdir(), 'realperson-ocr-test-'));
  ocr = await createOcr({ languages: ['eng'], cachePath: cache });
});
afterAll(async () => {
  await ocr?.close();
});

describe('createOcr', () => {
  it('reads text with the packaged language data and writes no copy of it anywhere', async () => {
    const r = await ocr.recognize(await textImage('SUNDAY 22 NOVEMBER 2026'), { layout: 'line' });
    expect(r.text).toContain('22 NOVEMBER 2026');
    expect(r.confidence).toBeGreaterThan(0.7);
    expect(r.lines[0].box.width).toBeGreaterThan(300);
    const written = [...(await readdir(cache, { recursive: true })), ...(await readdir(process.cwd()))];
    expect(written.filter((f) => String(f).includes('traineddata'))).toEqual([]);
  });

  it('queues jobs on its one worker and keeps each job its own settings', async () => {
    const [digits, words] = await Promise.all([
      ocr.recognize(await textImage('ORDER 4711 PAID'), { layout: 'line', whitelist: '0123456789' }),
      ocr.recognize(await textImage('ORDER 4711 PAID'), { layout: 'line' }),
    ]);
    expect(digits.text.replace(/\s/g, '')).toMatch(/^\d+$/);
    expect(words.text).toContain('PAID');
  });

  it('reads a crop in the coordinates of the whole image', async () => {
    const image = await textImage('LEFT', 'RIGHT');
    const r = await ocr.recognize(image, { layout: 'line', crop: { x: 450, y: 0, width: 450, height: 160 } });
    expect(r.text).toContain('RIGHT');
    expect(r.text).not.toContain('LEFT');
    expect(r.lines[0].box.x).toBeGreaterThanOrEqual(450);
  });

  it('refuses a language it has no workers for, and any job after close', async () => {
    await expect(ocr.recognize(await textImage('X'), { languages: 'chi_sim' })).rejects.toThrow(/no OCR workers/);
    const other = await createOcr({ languages: ['eng'] });
    await other.close();
    await expect(other.recognize(await textImage('X'))).rejects.toThrow(/closed/);
  });
});

describe.skipIf(!haveFixtures)('OCR output', () => {
  it("writes nothing of its own on stdout or stderr: Tesseract's diagnostics stay out of the service's log", async () => {
    // a real front page: Tesseract reports "Detected N diacritics" on it when left to print
    const page = fixture('newspapers/NET3010_25W/NYTimes-Page1-11-11-1918.jpg');
    const script = path.resolve(import.meta.dirname, '../../support/ocr-once.ts');
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script, page], { timeout: 90_000 }, (err, out, errOut) => (err ? reject(err) : resolve({ stdout: out, stderr: errOut })));
    });
    expect(stderr).toBe('');
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).characters).toBeGreaterThan(1000);
  });
});
