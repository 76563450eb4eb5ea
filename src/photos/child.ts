// The intake process's side: decodes and re-encodes the photos the service sends, one at a time (see
// intake.ts), and answers with the clean JPEG or the Problem that refused it.
import { Problem } from '../problem/index.js';
import { intakePhoto, type PhotoLimits } from './intake.js';

interface Request { id: number; bytes: Uint8Array; limits: Partial<PhotoLimits> }

process.on('message', (message: Request) => {
  intakePhoto(message.bytes, message.limits).then(
    (photo) => process.send!({ id: message.id, photo }),
    (err: unknown) => process.send!({
      id: message.id,
      problem: err instanceof Problem ? { type: err.type, status: err.status, detail: err.detail } : { type: 'photo.undecodable', status: 422, detail: 'the photo is corrupt or truncated and could not be decoded' },
    }),
  );
});
// The service went away (even killed outright): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
