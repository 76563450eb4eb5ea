// Photo intake: reading an upload under a size limit, typing it by its bytes, and turning it into
// the one clean JPEG that is stored and analysed.
export { PHOTO_LIMITS, intakePhoto, type IntakenPhoto, type PhotoLimits } from './intake.js';
export { readLimited } from './read.js';
export { sniffImageType, type PhotoType } from './sniff.js';
export { startIntakeProcess, type IntakeProcess } from './process.js';
