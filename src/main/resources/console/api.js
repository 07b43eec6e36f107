// Calls to the public API with the tab's token, if any. Errors carry the server's message
// ({"message": ...}) so the page can show it as the API worded it.

const TOKEN_KEY = 'incident-stream.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The bearer token, kept in sessionStorage: for this tab only, gone when it closes. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY)),
};

export function headers(extra = {}) {
  const h = { ...extra };
  const t = token.get();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

export async function api(method, path, body) {
  const init = { method, headers: headers(body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json', Accept: 'application/json' }), cache: 'no-store' };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the server cannot be reached (' + e.message + ')');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const message = json && typeof json.message === 'string' ? json.message : res.status + ' ' + res.statusText;
    throw new ApiError(res.status, message);
  }
  return json;
}
