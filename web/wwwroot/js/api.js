// The HTTP API: JSON in and out. A refused request (problem details) is shown to the user in a toast with
// the server's own `detail`, and thrown as an ApiError so the caller can stop.
import { t } from './i18n.js';
import { toast } from './ui.js';

const tokenKey = 'hallmonitor.token';

// A page opened as `…?token=…` (a wall screen's bookmark, a kiosk's start-up address) keeps the token for this tab
// and takes it out of the address at once, so it is neither shown, bookmarked again nor sent on as a referrer.
{
  const url = new URL(location.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress !== null) {
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    if (fromAddress.trim()) {
      sessionStorage.setItem(tokenKey, fromAddress.trim());
    }
  }
}

/** The token this tab signed in with, or null. */
export function currentToken() {
  return sessionStorage.getItem(tokenKey);
}

export function storeToken(token) {
  sessionStorage.setItem(tokenKey, token);
}

export function clearToken() {
  sessionStorage.removeItem(tokenKey);
}

let leaving = false;

/** To the sign-in page, which brings the visitor back here (once, however many requests were refused). */
export function signIn() {
  if (!leaving) {
    leaving = true;
    location.assign(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
}

/** A request the API refused, or that never reached it (status 0). */
export class ApiError extends Error {
  constructor(status, detail, problem = null) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.problem = problem;
  }
}

/** The short title of a refusal, in the user's language: 找不到, 提交的内容有误… */
export function errorTitle(status) {
  const key = `error.${status}`;
  const title = t(key);
  return title === key ? t('error.other') : title;
}

/**
 * Calls the API. `body` is sent as JSON. Answers the parsed JSON, or null for 204.
 * @param {string} path   e.g. '/api/halls/xinqu/tickets'
 * @param {{ method?: string, body?: object, quiet?: boolean, headers?: object }} [options] quiet: no toast on errors
 */
export async function api(path, { method = 'GET', body, quiet = false, headers: extra = {} } = {}) {
  const headers = { accept: 'application/json', ...extra };
  const token = currentToken();
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }

  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    const failure = new ApiError(0, t('error.network'));
    if (!quiet) {
      toast(failure.detail, { kind: 'error', title: errorTitle(0) });
    }
    throw failure;
  }

  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.ok) {
    return json;
  }

  if (response.status === 401 && !location.pathname.startsWith('/signin')) {
    signIn(); // no token, or one withdrawn since: sign in, then come back
  }
  const failure = new ApiError(response.status, json?.detail ?? json?.title ?? response.statusText, json);
  if (!quiet) {
    toast(failure.detail, { kind: 'error', title: errorTitle(response.status) });
  }
  throw failure;
}

/** Acknowledges an alert in the name of `by`, or of the supervisor when nobody is named. */
export function acknowledgeAlert(hall, alertId, by, { quiet = false } = {}) {
  return api(`/api/halls/${encodeURIComponent(hall)}/alerts/${encodeURIComponent(alertId)}/ack`, {
    method: 'POST',
    body: by ? { by } : {},
    quiet,
  });
}

/**
 * The hall's configuration: matters (with targets and categories) and windows. A screen that starts while
 * the server is away keeps asking until it answers, as its live connection does.
 */
export async function hallConfig(hall) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await api(`/api/halls/${encodeURIComponent(hall)}`, { quiet: attempt > 0 });
    } catch (error) {
      if (error.status !== 0 && error.status < 500) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 3000));
    }
  }
}

/** A fresh idempotency key (32 hex digits); crypto.getRandomValues also works on a plain-http hall network. */
export function idempotencyKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}
