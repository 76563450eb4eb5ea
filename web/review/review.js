// Review console: the queue of sessions in review (oldest first, filter by tenant and reason) and the
// case page: every photo side by side with what the pipeline saw drawn on it, the scores against the
// thresholds, and the decision form (approve / reject with a required note). Opening a case claims it.
import { api, ApiError, enterPage, fmtAge, fmtScore, fmtTime, h, notice } from '/staff/assets/staff.js';
import { bandTone, COLORS, drawStep, faceBand, facesWithRoles, stepVerdict } from './overlays.js';

const main = document.getElementById('main');
const KIND = { id_front: 'ID document', selfie_with_id: 'Selfie with ID', gesture: 'Gesture', newspaper: 'Newspaper' };
let me;

const num = (v) => typeof v === 'number' && Number.isFinite(v);
const tri = (v, yes = 'yes', no = 'no') => (v === true ? h('span', { class: 'badge ok' }, yes) : v === false ? h('span', { class: 'badge bad' }, no) : h('span', { class: 'badge neutral' }, 'unknown'));

async function start() {
  me = await enterPage('/review', ['reviewer', 'admin'], {
    title: 'No access to reviews',
    text: (role) => `Your role (${role}) cannot review cases. Ask an admin if you need it.`,
  });
  if (!me) return;
  window.addEventListener('hashchange', route);
  route();
}

// While a case page stays open, its claim is renewed before it goes stale (claims last 10 minutes).
const RENEW_MS = 4 * 60_000;
let renewal = null;

function route() {
  clearInterval(renewal);
  renewal = null;
  const id = new URLSearchParams(location.hash.slice(1)).get('case');
  if (id) showCase(id).catch(failed);
  else showQueue().catch(failed);
}

function failed(err) {
  if (err instanceof ApiError && err.status === 401) return;
  main.replaceChildren(notice('error', 'Something went wrong', err.message));
}

// ---------------------------------------------------------------- queue

async function showQueue() {
  document.title = 'Review queue · realperson';
  const params = new URLSearchParams(location.search);
  const tenant = params.get('tenant') ?? '';
  const reason = params.get('reason') ?? '';
  const q = new URLSearchParams();
  if (tenant) q.set('tenant', tenant);
  if (reason) q.set('reason', reason);
  // The unfiltered queue names the tenants and reasons to choose from.
  const [all, shown] = await Promise.all([
    api('/staff/v1/reviews'),
    q.size ? api(`/staff/v1/reviews?${q}`) : null,
  ]);
  const items = (shown ?? all).items;
  const tenants = new Map(all.items.map((i) => [i.tenantId, i.tenantName]));
  const reasons = [...new Set(all.items.flatMap((i) => i.reasons.map((r) => r.code)))].sort();

  const select = (id, labelText, value, options) => h('div', { class: 'field' },
    h('label', { for: id }, labelText),
    h('select', { id, onchange: applyFilters }, h('option', { value: '' }, 'All'),
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  function applyFilters() {
    const next = new URLSearchParams();
    const t = document.getElementById('f-tenant').value;
    const r = document.getElementById('f-reason').value;
    if (t) next.set('tenant', t);
    if (r) next.set('reason', r);
    history.replaceState(null, '', `/review${next.size ? `?${next}` : ''}`);
    showQueue().catch(failed);
  }

  const rows = items.map((i) => h('tr', { class: 'clickable', dataset: { session: i.sessionId }, onclick: () => { location.hash = `case=${i.sessionId}`; } },
    h('td', {}, h('a', { href: `#case=${i.sessionId}`, class: 'mono' }, i.sessionId)),
    h('td', {}, i.tenantName),
    h('td', { class: 'mono' }, i.externalSellerId),
    h('td', {}, fmtAge(i.inReviewSince), h('div', { class: 'muted small' }, fmtTime(i.inReviewSince))),
    h('td', {}, i.reasons.filter((r) => !r.code.startsWith('review.')).map((r) => h('span', { class: 'chip', title: r.detail }, r.code))),
    h('td', { class: 'num' }, fmtScore(i.scores.faceMatch)),
    h('td', {}, i.claim ? h('span', { class: `badge ${i.claim.reviewerId === me.userId ? 'info' : 'warn'}` },
      i.claim.reviewerId === me.userId ? 'you' : (i.claim.reviewerEmail ?? 'another reviewer')) : h('span', { class: 'muted' }, 'open'))));

  main.replaceChildren(
    h('div', { class: 'queue-head' },
      h('h1', {}, 'Review queue'),
      h('span', { class: 'count', id: 'queue-count' }, `${items.length} case${items.length === 1 ? '' : 's'} waiting`)),
    h('div', { class: 'toolbar' },
      select('f-tenant', 'Tenant', tenant, [...tenants]),
      select('f-reason', 'Reason', reason, reasons.map((r) => [r, r])),
      h('button', { type: 'button', onclick: () => showQueue().catch(failed) }, 'Refresh')),
    items.length
      ? h('table', { id: 'queue' },
        h('thead', {}, h('tr', {}, ['Session', 'Tenant', 'Seller', 'Waiting', 'Reasons', 'Face match', 'Claimed by'].map((c, i) => h('th', { class: i === 5 ? 'num' : null }, c)))),
        h('tbody', {}, rows))
      : h('div', { class: 'card empty' }, h('h2', {}, 'Nothing to review'), h('p', { class: 'muted' }, q.size ? 'No case matches these filters.' : 'Every case the pipeline sent to review has been decided.')));
}

// ---------------------------------------------------------------- case

async function showCase(id) {
  clearInterval(renewal);
  document.title = `Case ${id} · realperson`;
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading the case…'));
  const c = await api(`/staff/v1/reviews/${encodeURIComponent(id)}`);
  let claim = c.claim;
  let claimError = null;
  if (c.decision.outcome === 'review') {
    try {
      claim = await api(`/staff/v1/reviews/${encodeURIComponent(id)}/claim`, { method: 'POST' });
      claim = { ...claim, reviewerEmail: me.email };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
      claimError = err.message;
      ({ claim } = await api(`/staff/v1/reviews/${encodeURIComponent(id)}`));
    }
  }
  renderCase(c, claim, claimError);
  if (claim?.reviewerId === me.userId && c.decision.outcome === 'review') {
    renewal = setInterval(() => {
      api(`/staff/v1/reviews/${encodeURIComponent(id)}/claim`, { method: 'POST' }).then((r) => {
        const bar = document.getElementById('claim');
        if (bar?.firstChild) bar.firstChild.textContent = `You hold this case until ${fmtTime(r.expiresAt)}. Other reviewers cannot decide it meanwhile.`;
      }, () => { clearInterval(renewal); });
    }, RENEW_MS);
  }
}

function renderCase(c, claim, claimError) {
  const ev = c.evidence ?? {};
  const mine = claim && claim.reviewerId === me.userId;
  const open = c.decision.outcome === 'review';
  const showOverlays = h('input', { type: 'checkbox', id: 'show-overlays', checked: true });
  const photos = c.steps.map((s) => stepCard(s, ev, c.thresholds));
  showOverlays.addEventListener('change', () => photos.forEach((p) => p.redraw(showOverlays.checked)));

  const claimBar = !open
    ? h('div', { class: 'claim-bar done' }, `Decided by ${c.decision.decidedBy}: ${c.decision.outcome}`, c.review ? ` · “${c.review.note}”` : '')
    : mine
      ? h('div', { class: 'claim-bar mine', id: 'claim' }, `You hold this case until ${fmtTime(claim.expiresAt)}. Other reviewers cannot decide it meanwhile.`,
        h('button', { type: 'button', class: 'link', onclick: () => release(c.session.id) }, 'Give it back'))
      : h('div', { class: 'claim-bar other', id: 'claim', role: 'alert' }, claimError ?? `Claimed by ${claim?.reviewerEmail ?? 'another reviewer'} until ${fmtTime(claim?.expiresAt)}.`);

  main.replaceChildren(
    h('div', { class: 'case-head' },
      h('a', { href: '/review', class: 'back' }, '← Queue'),
      h('h1', {}, 'Case ', h('span', { class: 'mono' }, c.session.id)),
      h('span', { class: 'muted' }, `${c.session.tenantName} · seller ${c.session.externalSellerId} · submitted ${fmtTime(c.session.submittedAt ?? c.session.createdAt)}`)),
    claimBar,
    h('div', { class: 'case-grid' },
      h('section', { class: 'photos', 'aria-label': 'Photos' },
        h('div', { class: 'photos-head' }, h('h2', {}, 'Photos and what the pipeline saw'),
          h('label', { class: 'toggle' }, showOverlays, ' Show overlays')),
        legend(),
        h('div', { class: 'photo-grid', id: 'photos' }, photos.map((p) => p.el))),
      h('aside', { class: 'side' },
        decisionPanel(c, open && (mine || !claim)),
        pipelinePanel(c),
        scoresPanel(c, ev),
        identityPanel(c),
        spoofPanel(ev, c.steps),
        missingPanel(ev))));
}

function legend() {
  const item = (color, text, dashed) => h('span', { class: 'legend-item' }, swatch(color, dashed), text);
  return h('div', { class: 'legend' },
    item(COLORS.idPortrait, 'ID portrait'), item(COLORS.live, 'live face'), item(COLORS.other, 'other face'),
    item(COLORS.hand, 'hand + keypoints', true), item(COLORS.bad, 'spoof signal'));
}

function swatch(color, dashed) {
  const s = h('span', { class: `swatch${dashed ? ' dashed' : ''}` });
  s.style.borderColor = color;
  return s;
}

async function release(id) {
  clearInterval(renewal);
  await api(`/staff/v1/reviews/${encodeURIComponent(id)}/claim`, { method: 'DELETE' }).catch(() => {});
  location.assign('/review');
}

function stepCard(step, ev, thresholds) {
  const canvas = h('canvas', { class: 'photo', role: 'img', 'aria-label': `${KIND[step.kind] ?? step.kind} photo with overlays`, dataset: { step: step.id } });
  const status = h('div', { class: 'photo-status muted' });
  const card = h('article', { class: 'step-card', dataset: { kind: step.kind } },
    h('header', {}, h('h3', {}, `${step.position + 1}. ${KIND[step.kind] ?? step.kind}`, step.gesture ? h('span', { class: 'chip' }, `${step.gesture.id} v${step.gesture.version}`) : null)),
    step.photo ? canvas : h('div', { class: 'no-photo' }, 'No photo (never taken, or erased)'),
    status,
    findings(step, ev, thresholds));
  let img = null;
  let show = true;
  const redraw = (on = show) => {
    show = on;
    if (!img) return;
    const drawn = drawStep(canvas, img, { step, evidence: ev, thresholds, show });
    canvas.dataset.faces = String(drawn.faces);
    canvas.dataset.hands = String(drawn.hands);
    canvas.dataset.keypoints = String(drawn.keypoints);
    status.textContent = show
      ? `${step.photo.width}×${step.photo.height} · ${drawn.faces} face box${drawn.faces === 1 ? '' : 'es'}, ${drawn.hands} hand${drawn.hands === 1 ? '' : 's'} drawn${ev.observations?.[step.id] ? '' : ' (no detections stored for this photo)'}`
      : `${step.photo.width}×${step.photo.height} · overlays hidden`;
  };
  if (step.photo) {
    const image = new Image();
    image.decoding = 'async';
    image.onload = () => { img = image; redraw(); canvas.dataset.ready = 'true'; };
    image.onerror = () => { status.textContent = 'The photo could not be loaded.'; };
    image.src = step.photo.url;
  }
  return { el: card, redraw };
}

const row = (k, ...v) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, ...v));
const kv = (obj) => Object.entries(obj ?? {}).filter(([key]) => key !== 'borderline').map(([key, v]) => `${key} ${typeof v === 'number' ? Math.round(v * 100) / 100 : v}`).join(', ');

function findings(step, ev, th) {
  const out = h('div', { class: 'findings' });
  const verdict = stepVerdict(step, ev, th);
  if (verdict) out.append(h('p', { class: `verdict tone-${verdict.tone}` }, verdict.text));
  const faces = facesWithRoles(step.kind, ev.observations?.[step.id]);
  if (step.kind === 'id_front') {
    const d = ev.document;
    out.append(h('table', { class: 'facts' }, h('tbody', {},
      row('ID portrait', ev.faceMatch ? tri(ev.faceMatch.idPortraitFound, 'found', 'not found') : tri(null), faces.length ? ` ${faces.length} face box(es)` : ''),
      d ? [
        row('Number read', h('span', { class: 'mono' }, d.numberRead ?? '—'), ' vs declared ', h('span', { class: 'mono' }, d.declaredNumber ?? '—'), ' ', tri(d.numberMatches, 'match', 'differs')),
        row('Check digits', tri(d.checksumValid, 'valid', 'invalid'), d.failedChecks?.length ? ` failed: ${d.failedChecks.join(', ')}` : ''),
        row('Birth date / region', tri(d.consistent, 'consistent', 'inconsistent')),
        row('Name read', d.nameRead ?? '—', ' vs ', d.declaredName ?? '—', ' ', tri(d.nameMatches, 'match', 'differs')),
      ] : row('Document', h('span', { class: 'muted' }, 'not read')))));
  } else if (step.kind === 'selfie_with_id') {
    const fm = ev.faceMatch;
    out.append(h('table', { class: 'facts' }, h('tbody', {},
      row('Live face', fm ? tri(fm.liveFaceFound, 'found', 'not found') : tri(null)),
      row('Face vs ID', scoreBar(fm?.score, faceBand(th?.faceMatch, fm?.smallestFacePx, th?.faceSizes)),
        h('span', { class: 'muted' }, [
          typeof fm?.comparisons === 'number' ? ` mean of ${fm.comparisons} live photo(s) vs the ID portrait;` : ' one live photo vs the ID portrait;',
          typeof fm?.smallestFacePx === 'number' ? ` smallest face ${fm.smallestFacePx} px wide` : '',
        ].join(''))),
      row('Held card vs ID', scoreBar(fm?.heldCardScore, faceBand(th?.faceMatch, fm?.heldCardPortraitPx, th?.faceSizes)),
        typeof fm?.heldCardPortraitPx === 'number' ? h('span', { class: 'muted' }, ` portrait ${fm.heldCardPortraitPx} px wide`) : ''))));
  } else if (step.kind === 'gesture') {
    const g = (ev.gestures ?? []).find((x) => x?.stepId === step.id);
    out.append(h('p', { class: 'asked' }, h('strong', {}, 'Asked: '), step.gesture?.instructions ?? step.gesture?.id ?? '—'));
    if (g) {
      out.append(h('div', { class: 'fit' }, 'Fit ', scoreBar(g.score, th ? { approveAbove: th.gestureApproveAbove, rejectBelow: 0 } : null)));
      const conds = Array.isArray(g.conditions) ? g.conditions : [];
      out.append(conds.length
        ? h('div', {}, h('p', { class: 'conditions-head' }, 'Rule conditions, as measured'),
          h('ul', { class: 'conditions' }, conds.map((cnd) => {
            const state = cnd.held ? 'held' : cnd.measured?.borderline ? 'borderline' : 'failed';
            return h('li', { class: state },
              h('span', { class: 'cond' }, cnd.condition),
              h('span', { class: `badge ${state === 'held' ? 'ok' : state === 'borderline' ? 'warn' : 'bad'}` }, state === 'held' ? 'held' : state === 'borderline' ? 'borderline' : 'not held'),
              h('span', { class: 'measured mono' }, kv(cnd.measured)));
          })))
        : h('p', { class: 'muted' }, 'No rule conditions were recorded.'));
    }
  } else if (step.kind === 'newspaper') {
    const n = ev.newspaper && ev.newspaper.stepId === step.id ? ev.newspaper : null;
    out.append(h('table', { class: 'facts' }, h('tbody', {},
      row('Asked for', `${step.newspaper?.name ?? n?.expectedName ?? '—'} of ${step.newspaper?.date ?? '—'}`,
        // the seller's local date; older challenges were dated in UTC
        n ? ` (${typeof n.timeZone === 'string' ? n.timeZone : n.timeZone === null ? 'no time zone known for the region' : 'UTC: drawn before time zones were recorded'})` : ''),
      n ? [
        row('Masthead', tri(n.mastheadFound, 'found', 'not found')),
        row('Date read', h('span', { class: 'mono' }, n.dateRead ?? '—'), n.window ? ` (allowed ${n.window.from} … ${n.window.to})` : ''),
        row('Text read', h('span', { class: 'mono' }, n.dateText ?? '—')),
        row('OCR confidence', scoreBar(n.ocrConfidence, th ? { approveAbove: th.newspaperMinOcrConfidence, rejectBelow: 0 } : null)),
        row('Face in photo', tri(n.faceInPhoto)),
      ] : row('Reading', h('span', { class: 'muted' }, 'none stored')))));
  }
  const sf = ev.sameFace;
  if (sf && step.kind !== 'id_front') {
    if (sf.stepsWithoutFace?.includes(step.id)) out.append(h('p', { class: 'verdict tone-warn' }, 'No usable live face in this photo.'));
    if (sf.stepsWithExtraFaces?.includes(step.id)) out.append(h('p', { class: 'verdict tone-warn' }, 'More than one live face in this photo.'));
  }
  return out;
}

/** A 0..1 bar with the reject, review and approve zones of `band` and a marker at `value`. */
function scoreBar(value, band) {
  const bar = h('span', { class: 'bar' });
  if (band) {
    const reject = h('span', { class: 'zone reject' });
    const review = h('span', { class: 'zone review' });
    const approve = h('span', { class: 'zone approve' });
    reject.style.width = `${band.rejectBelow * 100}%`;
    review.style.width = `${(band.approveAbove - band.rejectBelow) * 100}%`;
    approve.style.width = `${(1 - band.approveAbove) * 100}%`;
    bar.append(reject, review, approve);
  }
  if (num(value)) {
    const mark = h('span', { class: 'mark' });
    mark.style.left = `${Math.max(0, Math.min(1, value)) * 100}%`;
    bar.append(mark);
  }
  const tone = band ? bandTone(value, band) : 'neutral';
  const thresholdText = band ? ` (${band.rejectBelow > 0 ? `reject < ${band.rejectBelow}, ` : ''}approve > ${band.approveAbove})` : '';
  return h('span', { class: 'score' }, bar, h('span', { class: `score-value tone-${tone}` }, num(value) ? value.toFixed(2) : '—'), h('span', { class: 'muted small' }, thresholdText));
}

function decisionPanel(c, canDecide) {
  if (c.decision.outcome !== 'review') {
    return h('section', { class: 'card panel', id: 'decided' }, h('h2', {}, 'Decision'),
      h('p', {}, h('span', { class: `badge ${c.decision.outcome === 'approved' ? 'ok' : 'bad'}` }, c.decision.outcome), ` by ${c.decision.decidedBy} at ${fmtTime(c.decision.decidedAt)}`),
      c.review ? h('p', {}, '“', c.review.note, '”') : null);
  }
  const note = h('textarea', { id: 'note', name: 'note', required: true, maxlength: 2000, placeholder: 'What you checked and why you decide so (required)', disabled: !canDecide });
  const error = h('p', { class: 'error', id: 'decide-error', role: 'alert', hidden: true });
  const decide = async (outcome, button) => {
    error.hidden = true;
    if (!note.value.trim()) {
      error.textContent = 'Write a note: every decision needs one.';
      error.hidden = false;
      note.focus();
      return;
    }
    button.disabled = true;
    try {
      await api(`/staff/v1/reviews/${encodeURIComponent(c.session.id)}/decision`, { method: 'POST', json: { outcome, note: note.value.trim() } });
      await showCase(c.session.id);
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      button.disabled = false;
    }
  };
  const approve = h('button', { type: 'button', class: 'approve', id: 'approve', disabled: !canDecide, onclick: (e) => decide('approved', e.currentTarget) }, 'Approve');
  const reject = h('button', { type: 'button', class: 'reject', id: 'reject', disabled: !canDecide, onclick: (e) => decide('rejected', e.currentTarget) }, 'Reject');
  return h('section', { class: 'card panel decide' }, h('h2', {}, 'Your decision'),
    h('label', { for: 'note' }, 'Note'), note, error,
    h('div', { class: 'actions' }, approve, reject),
    h('p', { class: 'fine' }, 'Final: the platform is told at once by webhook, and the decision is audited.'));
}

function pipelinePanel(c) {
  return h('section', { class: 'card panel' }, h('h2', {}, 'Why it is here'),
    h('ul', { class: 'reasons' }, c.decision.reasons.map((r) => h('li', {}, h('span', { class: 'chip' }, r.code), ' ', r.detail))));
}

function scoresPanel(c, ev) {
  const th = c.thresholds ?? {};
  const s = c.decision.scores ?? {};
  const rows = [
    row('Face vs ID portrait', scoreBar(s.faceMatch ?? ev.faceMatch?.score, faceBand(th.faceMatch, ev.faceMatch?.smallestFacePx, th.faceSizes))),
    row('Same face across photos', scoreBar(s.sameFace ?? ev.sameFace?.minScore, faceBand(th.sameFace, ev.sameFace?.smallestFacePx, th.faceSizes))),
  ];
  for (const step of c.steps.filter((x) => x.kind === 'gesture')) {
    const g = (ev.gestures ?? []).find((x) => x?.stepId === step.id);
    rows.push(row(`Gesture ${step.gesture?.id ?? ''}`, scoreBar(s[`gesture:${step.id}`] ?? g?.score, { approveAbove: th.gestureApproveAbove ?? 0.5, rejectBelow: 0 })));
  }
  return h('section', { class: 'card panel' }, h('h2', {}, 'Scores vs thresholds'), h('table', { class: 'facts scores' }, h('tbody', {}, rows)),
    h('p', { class: 'fine' }, `Model: ${ev.faceMatch?.model ?? '—'}. Thresholds are this tenant's policy.`));
}

function identityPanel(c) {
  const d = c.declared;
  return h('section', { class: 'card panel' }, h('h2', {}, 'Declared identity'),
    d ? h('table', { class: 'facts' }, h('tbody', {},
      row('Name', d.fullName), row('Document', d.documentType), row('Number', h('span', { class: 'mono' }, d.documentNumber)), row('Region', d.region)))
      : h('p', { class: 'muted' }, 'Erased at the platform\'s request.'));
}

function spoofPanel(ev, steps) {
  const signals = Array.isArray(ev.spoof) ? ev.spoof : [];
  const stepName = (id) => {
    const s = steps.find((x) => x.id === id);
    return s ? `${s.position + 1}. ${KIND[s.kind] ?? s.kind}` : 'session';
  };
  return h('section', { class: 'card panel', id: 'spoof' }, h('h2', {}, 'Spoof signals'),
    signals.length
      ? h('ul', { class: 'signals' }, signals.map((sg) => h('li', {},
        h('span', { class: `badge ${sg.score > 0.5 ? 'bad' : 'warn'}` }, fmtScore(sg.score)), ' ', h('strong', {}, sg.code), ` · ${stepName(sg.stepId)}`,
        h('div', { class: 'muted small' }, sg.detail))))
      : h('p', { class: 'muted' }, 'None.'));
}

function missingPanel(ev) {
  const missing = Array.isArray(ev.missing) ? ev.missing : [];
  if (!missing.length) return null;
  return h('section', { class: 'card panel' }, h('h2', {}, 'Checks that could not run'), h('ul', {}, missing.map((m) => h('li', {}, m))));
}

start();
