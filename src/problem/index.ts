// Typed failures with a stable `type`; the API's single error handler turns them into
// RFC 9457 application/problem+json. Modules throw these and never build error responses themselves.

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  readonly type: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  /** sent as Retry-After (429, 503): when trying again can succeed */
  readonly retryAfterSeconds?: number;

  constructor(type: string, status: number, detail: string, opts: { title?: string; errors?: FieldError[]; retryAfterSeconds?: number } = {}) {
    super(`${type}: ${detail}`);
    this.type = type;
    this.status = status;
    this.title = opts.title ?? defaultTitle(status);
    this.detail = detail;
    this.errors = opts.errors;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

function defaultTitle(status: number): string {
  switch (status) {
    case 400: return 'Bad request';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'Not found';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 413: return 'Payload too large';
    case 415: return 'Unsupported media type';
    case 422: return 'Unprocessable content';
    case 429: return 'Too many requests';
    case 503: return 'Service unavailable';
    default: return status >= 500 ? 'Internal error' : 'Request failed';
  }
}

export const problem = {
  badRequest: (type: string, detail: string, errors?: FieldError[]) => new Problem(type, 400, detail, { errors }),
  unauthorized: (detail = 'a valid credential is required') => new Problem('auth.unauthorized', 401, detail),
  forbidden: (detail: string) => new Problem('auth.forbidden', 403, detail),
  notFound: (what: string) => new Problem('not_found', 404, `${what} not found`),
  conflict: (type: string, detail: string) => new Problem(type, 409, detail),
  unprocessable: (type: string, detail: string, errors?: FieldError[]) => new Problem(type, 422, detail, { errors }),
};
