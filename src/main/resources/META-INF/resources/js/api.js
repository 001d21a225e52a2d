// Talking to the service: the bearer token (sessionStorage only), JSON in and out, and what a
// refused token means. The page decides what signing out shows, so it registers that here.

export const TOKEN_KEY = 'clustermesh-controller.token';

export const UNAVAILABLE = Symbol('unavailable');

export class SignedOut extends Error {}

let whenSignedOut = () => {};

/** What to do when the server refuses the token (the page shows its sign-in form). */
export function onSignedOut(handler) {
  whenSignedOut = handler;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export async function call(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 300) }; }
  }
  if (response.status === 401) {
    whenSignedOut('The server did not accept this token; sign in again.');
    throw new SignedOut();
  }
  return { status: response.status, data };
}

// A read that may legitimately be missing (an endpoint another part of the service adds later).
export async function read(path) {
  const { status, data } = await call('GET', path);
  if (status === 404) return UNAVAILABLE;
  // Health answers 503 with a full body when the mesh is not healthy: still data to show.
  if (status === 200 || (status === 503 && typeof data?.status === 'string')) return data;
  throw new Error(problemText(data, status));
}

export async function guarded(task) {
  try {
    return await task();
  } catch (e) {
    if (e instanceof SignedOut) throw e;
    return { error: e.message || String(e) };
  }
}

export function problemText(problem, status) {
  if (!problem) return `HTTP ${status}`;
  const parts = [problem.title, problem.detail].filter(Boolean);
  return parts.length ? parts.join(': ') : `HTTP ${status}`;
}

export function listOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const key of keys) if (data && Array.isArray(data[key])) return data[key];
  return [];
}

export const path = (...segments) => segments.map((s) => encodeURIComponent(s)).join('/');
