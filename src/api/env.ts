import type { CaptureFlowDeps } from '../flows/capture.js';

export interface AppDeps extends CaptureFlowDeps {
  /** true once the database is migrated and the models are loaded */
  ready(): boolean;
}

export interface Env {
  Variables: {
    deps: AppDeps;
    tenantId: string;
    sessionId: string;
    requestId: string;
  };
}
