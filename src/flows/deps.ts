// What the flows need from the outside world, passed in so tests can fix the clock and use real
// PGlite/PostgreSQL and a temp folder without mocking modules.
import type { Config } from '../config/index.js';
import type { Db } from '../db/index.js';
import type { Keys } from '../keys/index.js';
import type { Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import type { BlobStore } from '../storage/index.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface FlowDeps {
  db: Db;
  store: BlobStore;
  keys: Keys;
  config: Config;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
}
