// Calls to the gateway's REST API (/v1) with the signed-in token, and the token itself.
import { t, has, lang } from './i18n.js';

const TOKEN_KEY = 'etnik.token';

export function token() {
  return localStorage.getItem(TOKEN_KEY) || '';
}

function base64UrlJson(part) {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

// Who the token says the user is: {subject, roles, hubs, expires}; null when there is no
// readable token. The page reads the payload only to choose views; the gateway verifies it.
export function identity(raw = token()) {
  const parts = raw.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = base64UrlJson(parts[1]);
    return {
      subject: String(claims.sub || ''),
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
      hubs: Array.isArray(claims.hubs) ? claims.hubs.map(String) : [],
      expires: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
    };
  } catch {
    return null;
  }
}

export function signIn(raw) {
  const who = identity(raw);
  if (!who) throw new Error(t('signin.bad'));
  if (who.expires && who.expires < new Date()) throw new Error(t('signin.expired'));
  localStorage.setItem(TOKEN_KEY, raw.trim());
  return who;
}

export function signOut() {
  localStorage.removeItem(TOKEN_KEY);
}

// A refused call: the gateway's JSON error with its google.rpc details.
export class ApiError extends Error {
  constructor(httpStatus, error) {
    super(error.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.status = error.status || '';
    const details = Array.isArray(error.details) ? error.details : [];
    const info = details.find((d) => String(d['@type'] || '').endsWith('google.rpc.ErrorInfo')) || {};
    this.reason = info.reason || '';
    this.metadata = info.metadata || {};
    const bad = details.find((d) => String(d['@type'] || '').endsWith('google.rpc.BadRequest'));
    this.violations = bad && Array.isArray(bad.fieldViolations) ? bad.fieldViolations : [];
  }
}

export async function api(method, path, body) {
  // The services word field errors in the page's language.
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { message: t('err.network'), status: 'UNAVAILABLE' });
  }
  const text = await res.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { error: { message: text } };
  }
  if (res.status === 401 && headers.Authorization) window.dispatchEvent(new Event('etnik-token-refused'));
  if (!res.ok) throw new ApiError(res.status, json.error || { message: `HTTP ${res.status}` });
  return json;
}

// Every page of a list call: `key` is the repeated field ("sessions").
export async function listAll(path, key, params = {}) {
  const out = [];
  let pageToken = '';
  for (let i = 0; i < 50; i++) {
    const q = new URLSearchParams({ ...params, pageSize: '500' });
    if (pageToken) q.set('pageToken', pageToken);
    const page = await api('GET', `${path}?${q}`);
    out.push(...(page[key] || []));
    pageToken = page.nextPageToken || '';
    if (!pageToken) break;
  }
  return out;
}

// The error in the user's words: the reason's text when the page knows it, else the server's.
export function describeError(err, extra = {}) {
  if (!(err instanceof ApiError)) return t('err.generic', { message: String(err.message || err) });
  if (err.httpStatus === 0) return err.message;
  const params = { message: err.message, ...err.metadata, ...extra };
  if (err.reason && has(`err.${err.reason}`)) return t(`err.${err.reason}`, params);
  if (err.httpStatus === 401) return t('err.http401');
  if (err.status === 'INVALID_ARGUMENT') {
    const fields = err.violations.map((v) => `${v.field}: ${v.description}`).join('; ');
    return t('err.INVALID_ARGUMENT', { message: fields || err.message });
  }
  return t('err.generic', params);
}
