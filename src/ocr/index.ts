// Text checks: which newspaper a seller may hold up, and (loaded lazily, so the challenge code
// stays light) OCR of newspapers and identity documents.
export { newspapersFor, newspaperById, allNewspapers, type Newspaper } from './newspapers.js';
export {
  createOcr,
  type Ocr,
  type OcrResult,
  type OcrLine,
  type OcrBox,
  type OcrLanguages,
  type PageLayout,
  type RecognizeOptions,
  type CreateOcrOptions,
} from './engine.js';
export { type Preprocess } from './preprocess.js';
export { parseDates, dateInWindow, dateWindow, type DateReading, type DateWindow } from './dates.js';
export {
  cnResidentIdCheck,
  cnResidentIdCheckChar,
  normaliseCnResidentId,
  findCnResidentIds,
  type CnResidentIdCheck,
  type CnResidentIdProblem,
} from './cn-id.js';
export { readNewspaper, newspaperEvidence, chooseDate, NEWSPAPER_TUNING, type NewspaperReading, type NewspaperExpectation, type NewspaperTuning } from './newspaper.js';
export { matchMasthead, type MastheadMatch } from './masthead.js';
export { findMrz, parseMrzLines, type MrzReading, type MrzFormat } from './mrz.js';
export {
  readDocument,
  checkDocument,
  namesMatch,
  mrzNameMatches,
  normaliseName,
  normaliseDocumentNumber,
  type DocumentReading,
  type DocumentType,
  type DeclaredIdentity,
} from './document.js';
