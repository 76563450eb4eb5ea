// Turns zod validation failures into one problem+json shape with errors[] naming each field.
import type { Hook } from '@hono/zod-openapi';
import { Problem } from '../problem/index.js';

export const validationHook: Hook<unknown, never, string, unknown> = (result) => {
  if (result.success) return;
  const issues = (result.error as { issues: { path: PropertyKey[]; message: string }[] }).issues;
  throw new Problem('request.invalid', 400, 'the request does not match the schema', {
    errors: issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })),
  });
};
