// Request and response schemas shared by validation and the OpenAPI document.
import { z } from '@hono/zod-openapi';

export const ProblemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
}).openapi('Problem');

export const problemResponses = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, {
  description: 'problem', content: { 'application/problem+json': { schema: ProblemSchema } },
}]));

export const DeclaredSchema = z.object({
  fullName: z.string().trim().min(1).max(200),
  documentType: z.enum(['cn_resident_id', 'passport', 'id_card']),
  documentNumber: z.string().trim().min(4).max(40),
  region: z.string().trim().regex(/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/, 'ISO 3166 code such as CN-ZJ or GB'),
}).openapi('DeclaredIdentity');

export const CreateSessionSchema = z.object({
  externalSellerId: z.string().trim().min(1).max(200),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  declared: DeclaredSchema,
  callbackUrl: z.string().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'must be http(s)').optional(),
}).openapi('CreateSession');

export const CreatedSessionSchema = z.object({
  id: z.string(), status: z.string(), captureUrl: z.string(), expiresAt: z.string(),
}).openapi('CreatedSession');

export const DecisionSchema = z.object({
  outcome: z.enum(['approved', 'rejected', 'review']),
  reasons: z.array(z.object({ code: z.string(), detail: z.string() })),
  scores: z.record(z.string(), z.number().nullable()),
  decidedAt: z.string(),
  decidedBy: z.enum(['pipeline', 'reviewer']),
}).openapi('Decision');

export const SessionSchema = z.object({
  id: z.string(), status: z.enum(['awaiting_capture', 'processing', 'review', 'decided', 'expired', 'cancelled']),
  externalSellerId: z.string(), createdAt: z.string(), expiresAt: z.string(), decision: DecisionSchema.nullable(),
}).openapi('Session');

export const SessionIdParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

export const StepSchema = z.object({
  id: z.string(), kind: z.enum(['id_front', 'selfie_with_id', 'gesture', 'newspaper']), instructions: z.string(),
  gestureId: z.string().optional(), newspaper: z.object({
    name: z.string(),
    date: z.string().openapi({ description: 'the printed date asked for, yyyy-mm-dd, in the time zone of the seller\'s region' }),
    dateText: z.string().openapi({ description: 'that date written out in the session\'s language, weekday included' }),
    day: z.enum(['yesterday', 'today', 'tomorrow']).openapi({ description: 'the date against the seller\'s local date: yesterday\'s edition while today\'s is not on sale yet; tomorrow for a paper sold the afternoon before its date' }),
    edition: z.enum(['morning', 'evening']),
  }).optional(), done: z.boolean(),
}).openapi('CaptureStep');

export const StepsSchema = z.object({
  sessionId: z.string(), locale: z.enum(['zh-CN', 'en']), expiresAt: z.string(), attempt: z.number().int(), maxAttempts: z.number().int(),
  steps: z.array(StepSchema),
}).openapi('CaptureSteps');
