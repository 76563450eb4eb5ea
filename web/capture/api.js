// The capture API as seen from the page: JSON calls with the capture token, problem+json errors
// turned into ApiError, and photo uploads through XMLHttpRequest so progress can be shown.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem?.type ?? '';
    this.title = problem?.title ?? '';
    this.detail = problem?.detail ?? '';
  }
}

/** The request never got an answer (offline, timeout, server unreachable, or a gateway error). */
export class NetworkError extends Error {}

function parseProblem(text) {
  try {
    const body = JSON.parse(text);
    return body && typeof body === 'object' ? body : null;
  } catch {
    // A proxy's HTML error page: there is no problem document to show.
    return null;
  }
}

// Gateways and an overloaded server answer these; they are worth retrying like a lost connection.
const TRANSIENT = new Set([0, 502, 503, 504]);

export function createApi(token) {
  const auth = { Authorization: `Bearer ${token}` };

  async function call(method, path) {
    let res;
    try {
      res = await fetch(path, { method, headers: { ...auth, Accept: 'application/json' }, cache: 'no-store' });
    } catch (err) {
      throw new NetworkError(err?.message ?? 'network error');
    }
    const text = await res.text().catch(() => '');
    if (TRANSIENT.has(res.status)) throw new NetworkError(`HTTP ${res.status}`);
    if (!res.ok) throw new ApiError(res.status, parseProblem(text));
    return text ? JSON.parse(text) : null;
  }

  /** PUTs a JPEG; `onProgress(fraction)` follows the upload. Resolves to the server's receipt. */
  function uploadPhoto(stepId, blob, onProgress, timeoutMs = 90_000) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `/capture/v1/steps/${encodeURIComponent(stepId)}/photo`);
      xhr.setRequestHeader('Authorization', auth.Authorization);
      xhr.setRequestHeader('Content-Type', blob.type || 'image/jpeg');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.timeout = timeoutMs;
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress?.(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new NetworkError('connection lost'));
      xhr.ontimeout = () => reject(new NetworkError('timed out'));
      xhr.onabort = () => reject(new NetworkError('aborted'));
      xhr.onload = () => {
        if (TRANSIENT.has(xhr.status)) return reject(new NetworkError(`HTTP ${xhr.status}`));
        if (xhr.status < 200 || xhr.status >= 300) return reject(new ApiError(xhr.status, parseProblem(xhr.responseText)));
        onProgress?.(1);
        resolve(parseProblem(xhr.responseText) ?? {});
      };
      xhr.send(blob);
    });
  }

  return {
    steps: () => call('GET', '/capture/v1/steps'),
    status: () => call('GET', '/capture/v1/status'),
    submit: () => call('POST', '/capture/v1/submit'),
    uploadPhoto,
  };
}
