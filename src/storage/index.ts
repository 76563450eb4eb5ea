// Blob storage: where uploaded photos live, on a local folder or any S3 API.
export type { BlobStore } from './types.js';
export { createFsStore, DEFAULT_BLOB_DIR } from './fs.js';
export { createS3Store, type S3StoreOptions } from './s3.js';
export { MAX_KEY_LENGTH } from './key.js';
