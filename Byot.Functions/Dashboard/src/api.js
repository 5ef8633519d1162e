// BYOT's own public API, with the function key sent as x-functions-key. The key is entered once and kept in
// sessionStorage: it lasts for this browser tab's session and is never written anywhere else.
const KEY = 'byot.functionKey';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const key = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  forget: () => sessionStorage.removeItem(KEY),
};

function headers(extra) {
  const h = new Headers(extra);
  const k = key.get();
  if (k) h.set('x-functions-key', k);
  return h;
}

export async function request(method, path, { body, accept = 'application/json', signal, headers: extra } = {}) {
  const init = { method, headers: headers({ Accept: accept, ...extra }), signal, cache: 'no-store' };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers.set('Content-Type', method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* an empty 401 from the host */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export const get = async (path, options) => (await request('GET', path, options)).json();
export const post = async (path, options) => (await request('POST', path, options)).json();
export const patch = async (path, body) => (await request('PATCH', path, { body })).json();

/** Fetches a binary (an artifact) with the key, as a blob URL an <img> or a download link can use. */
export async function blobUrl(path, signal) {
  const response = await request('GET', path, { accept: '*/*', signal });
  return URL.createObjectURL(await response.blob());
}
