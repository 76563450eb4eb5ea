// Text checks: which newspaper a seller may hold up, and (loaded lazily, so the challenge code
// stays light) OCR of newspapers and identity documents.
export { newspapersFor, newspaperById, allNewspapers, type Newspaper } from './newspapers.js';
