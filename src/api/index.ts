export { createApp, type AppOptions } from './app.js';
export type { AppDeps, Env } from './env.js';
