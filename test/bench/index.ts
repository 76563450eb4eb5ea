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
  console.log(JSON.stringify({ newspapers: f.newspapers, mrz: f.mrz, documentSeen: f.documentSeen }, null, 2));
  if (f.mrz) {
    const m = f.mrz;
    console.log(`MRZ over ${m.specimens} PassportEye specimens: ${m.right} read right / ${m.wrong} wrong / ${m.unreadable} unreadable (${m.unjudged} valid without a transcribed zone; ${m.heldOnlyAfterRepairs} whose check digits held only after more repairs than allowed); names of valid reads: ${m.names.right} as printed, ${m.names.doubtful} doubtful, ${m.names.wrong} wrong, ${m.names.trueNameRejected} true names rejected`);
  }
  if (f.documentSeen) {
    const d = f.documentSeen;
    console.log(`document seen: ${d.cardsSeen} of ${d.cards} rendered resident ID cards, ${f.mrz?.seen ?? '-'} of ${f.mrz?.specimens ?? '-'} MRZ specimens, ${d.headshotsSeen.length} of ${d.headshots} plain headshots (each read as a resident ID and as a passport)`);
  }
}
if (want('intake-memory')) {
  console.log('== photo intake memory under 40-MP uploads');
  printIntakeMemoryReport(await benchIntakeMemory());
  console.log();
}
process.exit(0);
