// `npm run bench`: the accuracy and speed figures the thresholds in the code cite, printed with the machine.
// Face matchers (TAR/FAR/EER, ms per photo), gestures (confusion over labelled photos), OCR (newspaper
// dates over rendered pages, MRZ specimens), and the vision cost of one verification with the worker pool.
// `npm run bench:api` measures HTTP load separately. Pass section names to run only some: face face-size vision gestures ocr intake-memory.
import os from 'node:os';
import { benchFaceMatchers, printFaceReport } from './face.js';
import { benchFaceSizes, printFaceSizeReport } from './face-size.js';
import { benchVision, printVisionReport } from './vision.js';
import { gestureReport } from './gestures.js';
import { benchOcr } from './ocr.js';
import { benchIntakeMemory, printIntakeMemoryReport } from './intake-memory.js';

const wanted = new Set(process.argv.slice(2));
const want = (name: string) => wanted.size === 0 || wanted.has(name);

console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

if (want('face')) {
  console.log('== face matching');
  printFaceReport(await benchFaceMatchers());
  console.log();
}
if (want('face-size')) {
  console.log('== face matching on small portraits');
  printFaceSizeReport(await benchFaceSizes());
  console.log();
}
if (want('vision')) {
  console.log('== vision cost per verification');
  printVisionReport(await benchVision());
  console.log();
}
if (want('gestures')) {
  console.log('== gestures');
  console.log(await gestureReport());
  console.log();
}
if (want('ocr')) {
  console.log('== OCR');
  const f = await benchOcr({ pages: 100 });
  console.log(JSON.stringify({ newspapers: f.newspapers, mrz: f.mrz }, null, 2));
}
if (want('intake-memory')) {
  console.log('== photo intake memory under 40-MP uploads');
  printIntakeMemoryReport(await benchIntakeMemory());
  console.log();
}
process.exit(0);
