// Reads one image with the project's OCR engine in a process of its own and prints one JSON line:
// a test runs it to see everything the engine writes on stdout and stderr, Tesseract's WebAssembly
// included. Run: node --import tsx test/support/ocr-once.ts IMAGE
import { readFile } from 'node:fs/promises';
import { createOcr } from '../../src/ocr/index.js';

const ocr = await createOcr({ languages: ['chi_sim+eng'] });
try {
  const r = await ocr.recognize(new Uint8Array(await readFile(process.argv[2])), { languages: 'chi_sim+eng' });
  console.log(JSON.stringify({ characters: r.text.length }));
} finally {
  await ocr.close();
}
