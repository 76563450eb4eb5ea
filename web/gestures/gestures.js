// Gesture library for security staff: every gesture with its instructions, example drawing, status,
// version and numbers over a chosen period; activate, retire (two clicks), and rotate the active set
// now or at a scheduled time. Retired gestures are never drawn again.
import { api, ApiError, enterPage, fmtTime, h, notice } from '/staff/assets/staff.js';

const main = document.getElementById('main');
const DAY = 86_400_000;
const STATUS_ORDER = { active: 0, draft: 1, retired: 2 };
let me;
let drawing = null;
let filter = 'all';
let period = { from: new Date(Date.now() - 30 * DAY), to: new Date() };

// The capture page's drawings, so staff see exactly the example sellers see; text only if absent.
const drawings = import('/capture/assets/drawings.js').then((m) => { drawing = m.gestureDrawing; }, () => {});

async function start() {
  me = await enterPage('/gestures', ['security', 'admin'], {
    title: 'No access to the gesture library',
    text: (role) => `Your role (${role}) cannot see or change the gesture library. It is for security staff.`,
  });
  if (!me) return;
  await drawings;
  await load();
}

function flash(text, kind = 'ok') {
  const el = document.getElementById('flash');
  if (!el) return;
  el.textContent = text;
  el.className = `flash flash-${kind}`;
  el.hidden = false;
  el.scrollIntoView({ block: 'nearest' });
}

async function load(message) {
  let data;
  try {
    const q = new URLSearchParams({ from: period.from.toISOString(), to: period.to.toISOString() });
    data = await api(`/staff/v1/gestures?${q}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    main.replaceChildren(notice('error', 'The library could not be loaded', err.message));
    return;
  }
  render(data);
  if (message) flash(...message);
}

const dateInput = (id, d) => h('input', { type: 'date', id, value: d.toISOString().slice(0, 10) });

function render(data) {
  const counts = { active: 0, draft: 0, retired: 0 };
  for (const g of data.gestures) counts[g.status]++;
  const list = data.gestures
    .filter((g) => filter === 'all' || g.status === filter)
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.family.localeCompare(b.family) || a.id.localeCompare(b.id));

  const from = dateInput('from', period.from);
  const to = dateInput('to', new Date(period.to.getTime() - 1));
  const applyPeriod = () => {
    const f = new Date(`${from.value}T00:00:00Z`);
    const t = new Date(new Date(`${to.value}T00:00:00Z`).getTime() + DAY);
    if (!(f < t)) return flash('The period must start before it ends.', 'bad');
    period = { from: f, to: t };
    load();
  };

  const tabs = h('div', { class: 'tabs', role: 'tablist' }, ['all', 'active', 'draft', 'retired'].map((s) => h('button', {
    type: 'button', role: 'tab', class: s === filter ? 'tab current' : 'tab', 'aria-selected': s === filter ? 'true' : 'false',
    onclick: () => { filter = s; render(data); },
  }, s === 'all' ? `All ${data.gestures.length}` : `${s[0].toUpperCase()}${s.slice(1)} ${counts[s]}`)));

  main.replaceChildren(
    h('div', { class: 'lib-head' }, h('h1', {}, 'Gesture library'),
      h('span', { class: 'muted' }, `${counts.active} active · ${counts.draft} draft · ${counts.retired} retired · numbers for ${fmtDay(period.from)} – ${fmtDay(new Date(period.to.getTime() - 1))}`)),
    h('p', { id: 'flash', class: 'flash', role: 'status', hidden: true }),
    h('div', { class: 'lib-tools' },
      h('section', { class: 'card tool' }, h('h2', {}, 'Period'),
        h('div', { class: 'toolbar' },
          h('div', { class: 'field' }, h('label', { for: 'from' }, 'From'), from),
          h('div', { class: 'field' }, h('label', { for: 'to' }, 'To (inclusive)'), to),
          h('button', { type: 'button', id: 'apply-period', onclick: applyPeriod }, 'Show'))),
      rotatePanel(counts, data.rotations)),
    tabs,
    h('div', { class: 'gesture-grid', id: 'gestures' }, list.map(card)));
}

const fmtDay = (d) => d.toISOString().slice(0, 10);

function rotatePanel(counts, rotations) {
  const count = h('input', { type: 'number', id: 'rotate-count', min: 2, max: counts.active + counts.draft, value: Math.min(8, counts.active + counts.draft) });
  const when = h('input', { type: 'datetime-local', id: 'rotate-at' });
  const go = h('button', {
    type: 'button', class: 'primary', id: 'rotate',
    onclick: async () => {
      const body = { count: Number(count.value) };
      if (when.value) body.at = new Date(when.value).toISOString();
      go.disabled = true;
      try {
        const r = await api('/staff/v1/gestures/rotate', { method: 'POST', json: body });
        await load(r.active
          ? [`Rotated now: ${r.active.length} gestures active (${r.active.join(', ')}).`]
          : [`Rotation of ${r.count} scheduled for ${fmtTime(r.scheduledFor)}.`]);
      } catch (err) {
        flash(err.message, 'bad');
        go.disabled = false;
      }
    },
  }, 'Rotate');
  const pending = rotations.filter((r) => !r.appliedAt);
  const recent = rotations.filter((r) => r.appliedAt).slice(0, 3);
  return h('section', { class: 'card tool' }, h('h2', {}, 'Rotate the active set'),
    h('p', { class: 'fine' }, 'Replaces the active set by a fresh random draw from the non-retired gestures. Sessions already issued keep the gestures they got.'),
    h('div', { class: 'toolbar' },
      h('div', { class: 'field' }, h('label', { for: 'rotate-count' }, 'How many'), count),
      h('div', { class: 'field' }, h('label', { for: 'rotate-at' }, 'When (empty: now)'), when),
      go),
    pending.length ? h('div', { class: 'rotations', id: 'pending-rotations' }, h('h3', {}, 'Scheduled'),
      h('ul', {}, pending.map((r) => h('li', {}, `${r.count} gestures at ${fmtTime(r.scheduledFor)} `,
        h('button', { type: 'button', class: 'link', onclick: async () => { await api(`/staff/v1/gestures/rotations/${r.id}`, { method: 'DELETE' }).catch((e) => flash(e.message, 'bad')); load(['Scheduled rotation cancelled.']); } }, 'cancel'))))) : null,
    recent.length ? h('div', { class: 'rotations' }, h('h3', {}, 'Recent'),
      h('ul', {}, recent.map((r) => h('li', { class: 'muted' }, `${fmtTime(r.appliedAt)}: ${r.activeSet ? `${r.activeSet.length} active` : 'could not run'} · ${r.requestedBy}`)))) : null);
}

function example(g) {
  const box = h('div', { class: 'example', title: g.example ?? '' });
  if (drawing) {
    const svg = new DOMParser().parseFromString(drawing(g.id, ''), 'image/svg+xml').documentElement;
    if (svg && svg.nodeName.toLowerCase() === 'svg') {
      svg.setAttribute('aria-hidden', 'true');
      box.append(document.importNode(svg, true));
    }
  }
  if (!box.childElementCount) box.append(h('p', { class: 'muted small' }, g.example ?? g.family));
  return box;
}

const pct = (n, d) => (d ? `${Math.round((n / d) * 100)}%` : '');

function card(g) {
  const s = g.stats;
  const judged = s.passed + s.review + s.rejected;
  // A handful of flags is noise; a fifth of its photos flagged over a real sample is an attack pattern.
  const alarm = s.spoofFlags >= 3 && judged > 0 && s.spoofFlags / judged >= 0.2;
  const actions = [];
  if (g.status !== 'active' && g.status !== 'retired') actions.push(h('button', { type: 'button', class: 'activate', onclick: () => act(g, 'activate') }, 'Activate'));
  if (g.status !== 'retired') actions.push(retireButton(g));
  return h('article', { class: `gesture status-${g.status}`, dataset: { id: g.id, status: g.status } },
    h('header', {}, h('h3', {}, g.id), h('span', { class: `badge ${g.status === 'active' ? 'ok' : g.status === 'retired' ? 'bad' : 'neutral'}` }, g.status)),
    example(g),
    h('p', { class: 'meta muted' }, `v${g.version} · ${g.family}`),
    h('p', { class: 'instr' }, g.instructions.en),
    h('p', { class: 'instr zh', lang: 'zh-CN' }, g.instructions['zh-CN']),
    h('table', { class: 'stats' },
      h('thead', {}, h('tr', {}, [['Issued', 'challenges that asked for it'], ['Pass', 'photo passed the rule'], ['Review', 'could not tell'], ['Reject', 'clearly not shown'], ['Spoof', 'photos with a spoof signal']].map(([c, title]) => h('th', { class: 'num', title }, c)))),
      h('tbody', {}, h('tr', {},
        h('td', { class: 'num' }, s.issued),
        h('td', { class: 'num' }, s.passed, h('div', { class: 'muted small' }, pct(s.passed, judged))),
        h('td', { class: 'num' }, s.review, h('div', { class: 'muted small' }, pct(s.review, judged))),
        h('td', { class: 'num' }, s.rejected, h('div', { class: 'muted small' }, pct(s.rejected, judged))),
        h('td', { class: `num${alarm ? ' alarm' : ''}` }, s.spoofFlags)))),
    alarm ? h('p', { class: 'verdict-bad' }, 'Many spoof flags: this gesture may be gamed.') : null,
    h('div', { class: 'actions' }, actions));
}

function retireButton(g) {
  let armed = null;
  const b = h('button', {
    type: 'button', class: 'danger retire',
    onclick: () => {
      if (!armed) {
        b.textContent = 'Confirm retire';
        b.classList.add('armed');
        armed = setTimeout(() => { armed = null; b.textContent = 'Retire'; b.classList.remove('armed'); }, 6000);
        return;
      }
      clearTimeout(armed);
      act(g, 'retire');
    },
  }, 'Retire');
  return b;
}

async function act(g, action) {
  try {
    await api(`/staff/v1/gestures/${encodeURIComponent(g.id)}/${action}`, { method: 'POST' });
    await load([action === 'retire' ? `${g.id} v${g.version} retired: it will never be drawn again.` : `${g.id} v${g.version} is active.`]);
  } catch (err) {
    flash(err.message, 'bad');
  }
}

start();
