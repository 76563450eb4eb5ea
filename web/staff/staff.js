// Shared by the staff pages: who is signed in, API calls with the CSRF header on writes, the top bar,
// and small DOM helpers. Plain ES module, no framework (the pages run under a strict CSP).

/** Where each role starts. */
export function homeFor(role) {
  return role === 'security' ? '/gestures' : '/review';
}

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next) {
  return next && /^\/(review|gestures)(\/|\?|#|$)/.test(next) ? next : null;
}

let csrf = sessionStorage.getItem('realperson.csrf') ?? '';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `request failed (${status})`);
    this.status = status;
    this.type = body?.type;
  }
}

/** fetch for the staff API: JSON in and out, CSRF on writes, a 401 sends the user to sign in. */
export async function api(path, { method = 'GET', json, signal } = {}) {
  const headers = {};
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), credentials: 'same-origin', signal });
  if (res.status === 401) {
    toLogin();
    throw new ApiError(401, { detail: 'signed out' });
  }
  if (res.status === 204) return null;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export function toLogin() {
  location.assign(`/staff/login?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
}

/** The signed-in user, or a redirect to the sign-in page. */
export async function signedIn() {
  const me = await api('/staff/v1/me');
  csrf = me.csrfToken;
  sessionStorage.setItem('realperson.csrf', csrf);
  return me;
}

/**
 * Opens a staff page: the signed-in user (or a redirect to sign in), the top bar, and the page's role
 * check. Returns the user, or null when the page must not show (a notice says why).
 */
export async function enterPage(current, roles, denied) {
  let me;
  try {
    me = await signedIn();
  } catch {
    return null;
  }
  document.getElementById('top').replaceChildren(topBar(me, current));
  if (!roles.includes(me.role)) {
    document.getElementById('main').replaceChildren(notice('denied', denied.title, denied.text(me.role)));
    return null;
  }
  return me;
}

/** h('div', { class: 'x', onclick: f }, child, 'text') — builds elements without innerHTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** The top bar: product, the pages this role may use, who is signed in, sign out. */
export function topBar(me, current) {
  const links = [];
  if (me.role === 'reviewer' || me.role === 'admin') links.push(['/review', 'Review queue']);
  if (me.role === 'security' || me.role === 'admin') links.push(['/gestures', 'Gesture library']);
  const out = h('button', {
    type: 'button', class: 'link', id: 'logout',
    onclick: async () => {
      await api('/staff/v1/logout', { method: 'POST' }).catch(() => {});
      sessionStorage.removeItem('realperson.csrf');
      location.assign('/staff/login');
    },
  }, 'Sign out');
  return h('header', { class: 'topbar' },
    h('a', { class: 'brand-line', href: homeFor(me.role) }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'realperson staff'),
    h('nav', {}, links.map(([href, label]) => h('a', { href, class: href === current ? 'current' : null, 'aria-current': href === current ? 'page' : null }, label))),
    h('div', { class: 'who' }, h('span', {}, me.email), h('span', { class: `role role-${me.role}` }, me.role), out));
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
}

export function fmtAge(iso, now = Date.now()) {
  const m = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${m % 60} min`;
  return `${Math.floor(m / 1440)} d`;
}

export const fmtScore = (v) => (typeof v === 'number' ? v.toFixed(2) : '—');

/** A page-level message (errors, access denied) in place of the content. */
export function notice(kind, title, text) {
  return h('section', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('h2', {}, title), h('p', {}, text));
}
