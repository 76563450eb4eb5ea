// The seller's capture page: fetches the steps for the token in the URL fragment, walks the seller
// through each photo with the live camera, uploads each one, then submits and waits for the check.
import { t, setLocale, otherLocale } from './i18n.js';
import { createApi, ApiError, NetworkError } from './api.js';
import { stepDrawing, guideFor, overlay, handSide, whichHand, cameraOffIcon } from './drawings.js';
import { precheck, preloadPrecheck } from './precheck.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const langButton = document.getElementById('lang');
const appTitle = document.getElementById('app-title');

// Waits between upload attempts after a lost connection, in seconds.
const BACKOFF = [1, 2, 4, 8, 16];
// The longest side of an uploaded frame; larger adds bytes, not evidence.
const MAX_SIDE = 1920;

const app = {
  api: null,
  data: null,
  index: 0,
  view: 'loading', // loading | fatal | step | review | checking | finished
  fatal: null,
  phase: 'camera', // camera | camera-error | preview | uploading | rejected | done
  camError: null,
  facing: 'user',
  stream: null,
  shot: null,
  check: null,
  upload: null,
  rejected: null,
  notice: '',
  userChoseLocale: false,
  final: null,
};

let cameraSeq = 0;
let uploadSeq = 0;
let retryNow = null;
let pollTimer = null;

// ---------- small DOM helpers ----------

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'svg') el.innerHTML = v; // only drawings built by drawings.js, never server text
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

function button(label, onclick, cls = 'btn', extra = {}) {
  return h('button', { type: 'button', class: cls, onclick, ...extra }, label);
}

function announce(message) {
  live.textContent = '';
  // A fresh text node after a tick makes screen readers read repeated messages too.
  setTimeout(() => { live.textContent = message; }, 60);
}

const video = h('video', { playsinline: true, muted: true, autoplay: true, class: 'camera' });
video.muted = true;
// The shutter waits for the first real frame: before it there is nothing to capture.
video.addEventListener('loadeddata', () => {
  const shutter = document.getElementById('shutter');
  if (!shutter || !app.stream) return;
  shutter.disabled = false;
  // A disabled button cannot hold focus: hand it over now, unless the seller is elsewhere on the page.
  const active = document.activeElement;
  if (!active || active === document.body || active.id === 'view-title') shutter.focus({ preventScroll: true });
});

const currentStep = () => app.data?.steps[app.index];
/** The step's name; gestures are numbered when the challenge has more than one. */
function stepName(step) {
  // Before the day's paper is on sale where the seller lives, the server asks for yesterday's.
  const name = t(step.newspaper?.day === 'yesterday' ? 'kind_newspaper_yesterday' : `kind_${step.kind}`);
  const gestures = app.data?.steps.filter((s) => s.kind === 'gesture') ?? [];
  return step.kind === 'gesture' && gestures.length > 1 ? `${name} ${gestures.indexOf(step) + 1}` : name;
}

// ---------- rendering ----------

function render(focus) {
  document.title = t('appTitle');
  appTitle.textContent = t('appTitle');
  langButton.textContent = t('langToggle');
  langButton.setAttribute('aria-label', t('langToggleLabel'));
  langButton.lang = otherLocale();
  document.body.dataset.view = app.view;

  const views = { loading: viewLoading, fatal: viewFatal, step: viewStep, review: viewReview, checking: viewChecking, finished: viewFinished };
  // Re-rendering replaces the focused element; keep keyboard focus where it was when no new target is given.
  const previous = main.contains(document.activeElement) ? document.activeElement.id : '';
  main.replaceChildren(views[app.view]());
  if (app.view === 'step') attachStage();
  const target = (focus ? main.querySelector(focus) : null) ?? (previous ? document.getElementById(previous) : null);
  target?.focus({ preventScroll: true });
}

function viewLoading() {
  return h('section', { class: 'center-card', 'aria-busy': 'true' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('p', { id: 'view-title', tabindex: '-1' }, t('loading')));
}

function viewFatal() {
  const f = app.fatal;
  return h('section', { class: 'center-card fatal', role: 'alert' },
    h('div', { class: 'icon-badge warn', 'aria-hidden': 'true' }, '!'),
    h('h2', { id: 'view-title', tabindex: '-1' }, t(f.titleKey)),
    h('p', null, t(f.textKey)),
    f.detail ? h('p', { class: 'muted' }, t('serverSaid', { detail: f.detail })) : null,
    f.retry ? button(t('tryAgain'), f.retry, 'btn primary') : null);
}

function stepper() {
  const steps = app.data.steps;
  const firstOpen = steps.findIndex((s) => !s.done);
  return h('nav', { class: 'stepper', 'aria-label': t('stepsList') },
    h('ol', null, steps.map((s, i) => {
      const state = i === app.index && app.view === 'step' ? 'current' : s.done ? 'done' : 'todo';
      const reachable = s.done || i === firstOpen || i === app.index;
      return h('li', { class: `dot ${state}` },
        button(s.done ? '✓' : String(i + 1), () => goToStep(i), 'dot-btn', {
          'aria-label': t('stepNav', { n: i + 1, name: stepName(s), state: t(state === 'current' ? 'stepCurrent' : s.done ? 'stepDone' : 'stepTodo') }),
          'aria-current': state === 'current' ? 'step' : null,
          disabled: !reachable,
        }));
    })));
}

function instructionCard(step) {
  const side = step.kind === 'gesture' ? whichHand(step.gestureId) : null;
  return h('div', { class: 'instruct' },
    h('figure', { class: 'example', svg: stepDrawing(step, t('exampleLabel')) }),
    h('div', { class: 'instruct-text' },
      h('p', { class: 'eyebrow' }, t('stepOf', { n: app.index + 1, total: app.data.steps.length })),
      h('h2', { id: 'view-title', tabindex: '-1' }, stepName(step)),
      // Instructions come from the server in the session's language.
      h('p', { class: 'instructions', lang: app.data.locale }, step.instructions),
      step.newspaper ? h('p', { class: 'chip', lang: app.data.locale }, h('span', { class: 'nowrap' }, step.newspaper.name), ' · ', h('time', { class: 'nowrap', datetime: step.newspaper.date }, step.newspaper.dateText ?? step.newspaper.date)) : null,
      side ? h('p', { class: 'chip' }, t(side === 'left' ? 'leftHand' : 'rightHand')) : null));
}

function guideText(step) {
  const g = guideFor(step);
  return t(g === 'card' ? 'guide_card' : `guide_${g}`);
}

const canSwitch = (step) => step.kind === 'id_front' || step.kind === 'newspaper';

function viewStep() {
  const step = currentStep();
  const stage = h('div', { class: `stage ${app.facing === 'user' ? 'mirrored' : ''}`, id: 'stage' });
  const status = h('div', { class: 'status', id: 'status', 'data-check': app.check && !app.check.pending ? (app.check.ran ? 'ran' : 'skipped') : null });
  const actions = h('div', { class: 'actions' });
  const p = app.phase;

  if (p === 'camera') {
    stage.append(h('div', { class: 'stage-msg', id: 'cam-wait' }, t('cameraStarting')));
    status.append(h('p', { class: 'hint' }, guideText(step)));
    if (canSwitch(step)) {
      actions.append(button(`⇄ ${t('switchCamera')}`, switchCamera, 'btn ghost switch', { id: 'switch-camera', title: t(app.facing === 'user' ? 'usingFront' : 'usingBack') }));
    }
    actions.append(button(h('span', { class: 'shutter-label' }, t('capture')), takePhoto, 'shutter', { id: 'shutter', 'aria-label': t('capture'), disabled: !app.stream || video.readyState < 2 }));
  } else if (p === 'camera-error') {
    const k = app.camError;
    stage.append(h('div', { class: 'stage-panel', role: 'alert' },
      h('div', { class: 'panel-icon', svg: cameraOffIcon() }),
      h('h3', null, t(`${k}Title`)),
      h('p', null, t(`${k}Text`)),
      k === 'camDenied' ? h('ul', { class: 'howto' }, h('li', null, t('camDeniedHowPhone')), h('li', null, t('camDeniedHowDesktop'))) : null,
      app.camErrorDetail ? h('p', { class: 'muted small' }, app.camErrorDetail) : null));
    actions.append(button(t('tryAgain'), () => startCamera(true), 'btn primary', { id: 'cam-retry' }));
  } else {
    stage.classList.remove('mirrored');
    // The shutter flash plays once, on the render right after the capture, not on later updates.
    stage.append(h('img', { class: app.shot?.fresh ? 'shot fresh' : 'shot', src: app.shot?.url ?? '', alt: t('previewAlt') }));
    if (app.shot) app.shot.fresh = false;
    if (p === 'preview') {
      const c = app.check;
      if (!c || c.pending) {
        status.append(h('p', { class: 'hint busy' }, h('span', { class: 'spinner small', 'aria-hidden': 'true' }), t('checking')));
      } else if (c.warnings.length) {
        status.append(h('div', { class: 'warnbox', role: 'alert' },
          h('p', { class: 'strong' }, t('warnIntro')),
          h('ul', null, c.warnings.map((w) => h('li', null, t(`warn${w[0].toUpperCase()}${w.slice(1)}`))))));
      } else if (c.ran) {
        status.append(h('p', { class: 'hint ok' }, t('checkedOk')));
      }
      actions.append(button(t('retake'), retake, 'btn ghost', { id: 'retake' }));
      const warned = c && !c.pending && c.warnings.length;
      actions.append(button(t(warned ? 'sendAnyway' : 'usePhoto'), startUpload, warned ? 'btn secondary' : 'btn primary', { id: 'use-photo' }));
    } else if (p === 'uploading') {
      stage.classList.add('dim');
      status.append(uploadStatus());
      if (app.upload?.failed) {
        actions.append(button(t('retake'), retake, 'btn ghost', { id: 'retake' }));
        actions.append(button(t('tryAgain'), startUpload, 'btn primary', { id: 'upload-retry' }));
      }
    } else if (p === 'rejected') {
      status.append(h('div', { class: 'warnbox error', role: 'alert' },
        h('p', { class: 'strong' }, t('rejectedTitle')),
        h('p', null, app.rejected.summary),
        app.rejected.detail ? h('p', { class: 'detail' }, t('serverSaid', { detail: app.rejected.detail })) : null));
      actions.append(button(t('retake'), retake, 'btn primary', { id: 'retake' }));
    } else if (p === 'done') {
      stage.append(h('div', { class: 'done-badge', 'aria-hidden': 'true' }, '✓'));
      status.append(h('p', { class: 'hint ok strong', id: 'done-msg' }, t('doneStep')));
      actions.append(button(t('retakeStep'), retake, 'btn ghost', { id: 'retake' }));
      const allDone = app.data.steps.every((s) => s.done);
      actions.append(button(t(allDone ? 'reviewAndSend' : 'next'), nextStep, 'btn primary', { id: 'next' }));
    }
  }

  return h('section', { class: 'step', 'data-kind': step.kind, 'data-phase': p, 'aria-labelledby': 'view-title' },
    stepper(),
    app.notice ? h('p', { class: 'notice', role: 'status' }, app.notice) : null,
    h('div', { class: 'step-grid' },
      instructionCard(step),
      h('div', { class: 'capture' }, stage, status, actions)));
}

function uploadStatus() {
  const u = app.upload ?? { pct: 0 };
  const box = h('div', { class: 'upload', id: 'upload-status' });
  if (u.failed) {
    box.append(h('p', { class: 'warnbox error', role: 'alert' }, t('uploadFailed')));
    return box;
  }
  box.append(
    h('p', { class: 'hint', id: 'upload-label' }, t('uploading', { pct: u.pct })),
    h('div', { class: 'bar', role: 'progressbar', 'aria-label': t('uploadingLabel'), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(u.pct) },
      h('div', { class: 'bar-fill', id: 'bar-fill' })));
  if (u.waiting > 0) {
    box.append(h('p', { class: 'hint warn', role: 'status' }, t('uploadWaiting', { s: u.waiting, n: u.attempt + 2, max: BACKOFF.length + 1 })),
      button(t('retryNow'), () => retryNow?.(), 'btn ghost small', { id: 'retry-now' }));
  }
  return box;
}

function updateUploadView() {
  const box = document.getElementById('upload-status');
  if (!box) return;
  box.replaceWith(uploadStatus());
  const fill = document.getElementById('bar-fill');
  if (fill) fill.style.width = `${app.upload?.pct ?? 0}%`;
}

// The stage holds the one <video> element for the whole visit, so the stream survives re-renders.
let stageObserver = null;
function attachStage() {
  const stage = document.getElementById('stage');
  const fill = document.getElementById('bar-fill');
  if (fill) fill.style.width = `${app.upload?.pct ?? 0}%`;
  stageObserver?.disconnect();
  if (app.phase !== 'camera' || !stage) return;
  video.setAttribute('aria-label', t('cameraLabel'));
  stage.prepend(video);
  const guide = h('div', { class: 'guide', 'aria-hidden': 'true' });
  stage.append(guide);
  const step = currentStep();
  const drawGuide = () => {
    const { width, height } = stage.getBoundingClientRect();
    if (width && height) guide.innerHTML = overlay(guideFor(step), Math.round(width), Math.round(height), handSide(step.gestureId) ?? 'right');
  };
  stageObserver = new ResizeObserver(drawGuide);
  stageObserver.observe(stage);
  drawGuide();
  if (app.stream) {
    document.getElementById('cam-wait')?.remove();
    if (video.srcObject !== app.stream) video.srcObject = app.stream;
    video.play().catch(() => { /* autoplay of a muted inline video is allowed; a refusal just shows the last frame */ });
  }
}

function viewReview() {
  const steps = app.data.steps;
  const missing = steps.filter((s) => !s.done).length;
  return h('section', { class: 'center-card review', 'aria-labelledby': 'view-title' },
    h('h2', { id: 'view-title', tabindex: '-1' }, t('reviewTitle')),
    app.notice ? h('p', { class: 'notice', role: 'status' }, app.notice) : null,
    h('p', null, t('reviewText')),
    h('ol', { class: 'review-list' }, steps.map((s, i) => h('li', { class: s.done ? 'done' : 'todo' },
      h('span', { class: 'tick', 'aria-hidden': 'true' }, s.done ? '✓' : String(i + 1)),
      h('span', { class: 'name' }, stepName(s), h('span', { class: 'sr-only' }, `, ${t(s.done ? 'stepDone' : 'stepTodo')}`)),
      button(t(s.done ? 'retakeStep' : 'goToStep'), () => goToStep(i), 'btn ghost small')))),
    button(t(app.submitting ? 'submitting' : 'submit'), submit, 'btn primary wide', { id: 'submit', disabled: missing > 0 || app.submitting }),
    h('p', { class: 'muted small' }, t('privacy')));
}

function viewChecking() {
  return h('section', { class: 'center-card', 'aria-busy': 'true', 'aria-labelledby': 'view-title' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('h2', { id: 'view-title', tabindex: '-1' }, t('checkingTitle')),
    h('p', null, t('checkingText')));
}

function viewFinished() {
  const k = app.final ?? 'finished';
  return h('section', { class: 'center-card', 'aria-labelledby': 'view-title' },
    h('div', { class: `icon-badge ${k === 'cancelled' ? 'warn' : 'ok'}`, 'aria-hidden': 'true' }, k === 'cancelled' ? '!' : '✓'),
    h('h2', { id: 'view-title', tabindex: '-1' }, t(`${k}Title`)),
    h('p', null, t(`${k}Text`)));
}

// ---------- camera ----------

const CAMERA_ERRORS = {
  NotAllowedError: 'camDenied',
  SecurityError: 'camDenied',
  PermissionDeniedError: 'camDenied',
  NotFoundError: 'camNone',
  DevicesNotFoundError: 'camNone',
  OverconstrainedError: 'camNone',
  NotReadableError: 'camBusy',
  TrackStartError: 'camBusy',
  AbortError: 'camBusy',
};

function stopCamera() {
  cameraSeq++;
  app.stream?.getTracks().forEach((tr) => tr.stop());
  app.stream = null;
  video.srcObject = null;
}

async function startCamera(userAsked = false) {
  const seq = ++cameraSeq;
  if (!navigator.mediaDevices?.getUserMedia) {
    return cameraFailed(window.isSecureContext ? 'camNone' : 'camInsecure');
  }
  const current = app.stream?.getVideoTracks()[0];
  if (current && current.readyState === 'live' && app.streamFacing === app.facing) {
    app.phase = 'camera';
    render();
    return;
  }
  app.stream?.getTracks().forEach((tr) => tr.stop());
  app.stream = null;
  app.phase = 'camera';
  render(userAsked ? '#view-title' : undefined);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: app.facing }, width: { ideal: 1280 }, height: { ideal: 960 } },
    });
  } catch (err) {
    if (seq !== cameraSeq) return;
    return cameraFailed(CAMERA_ERRORS[err?.name] ?? 'camError', err);
  }
  if (seq !== cameraSeq || app.view !== 'step') {
    stream.getTracks().forEach((tr) => tr.stop());
    return;
  }
  app.stream = stream;
  app.streamFacing = app.facing;
  app.camError = null;
  app.camErrorDetail = null;
  stream.getVideoTracks()[0]?.addEventListener('ended', () => {
    if (app.stream === stream && app.phase === 'camera') cameraFailed('camBusy');
  });
  if (app.phase !== 'camera') return;
  const active = document.activeElement;
  render(!active || active === document.body || active.id === 'view-title' ? '#shutter' : undefined);
  announce(`${stepName(currentStep())}. ${currentStep().instructions} ${guideText(currentStep())}`);
  // Warm the pre-check models while the seller frames the shot.
  preloadPrecheck();
}

function cameraFailed(kind, err) {
  app.stream?.getTracks().forEach((tr) => tr.stop());
  app.stream = null;
  app.phase = 'camera-error';
  app.camError = kind;
  app.camErrorDetail = kind === 'camError' && err ? `${err.name ?? ''} ${err.message ?? ''}`.trim() : null;
  render('#cam-retry');
  announce(`${t(`${kind}Title`)}. ${t(`${kind}Text`)}`);
}

function switchCamera() {
  app.facing = app.facing === 'user' ? 'environment' : 'user';
  startCamera(true);
}

function defaultFacing(step) {
  // The back camera gives a sharper, unmirrored view of a card held in front of it.
  return step.kind === 'id_front' ? 'environment' : 'user';
}

// ---------- capture, check, upload ----------

async function takePhoto() {
  const step = currentStep();
  if (!app.stream || !video.videoWidth) return;
  const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
  if (!blob) return;
  releaseShot();
  app.shot = { blob, url: URL.createObjectURL(blob), stepId: step.id, fresh: true };
  app.phase = 'preview';
  app.check = { pending: true, warnings: [] };
  render('#retake');
  announce(t('checking'));

  const result = await precheck(canvas, step);
  if (app.shot?.blob !== blob || app.phase !== 'preview') return;
  app.check = { pending: false, ...result };
  render('#use-photo');
  announce(result.warnings.length
    ? `${t('warnIntro')} ${result.warnings.map((w) => t(`warn${w[0].toUpperCase()}${w.slice(1)}`)).join(' ')}`
    : result.ran ? t('checkedOk') : t('previewTitle'));
}

function releaseShot() {
  if (app.shot?.url) URL.revokeObjectURL(app.shot.url);
  app.shot = null;
}

function retake() {
  uploadSeq++;
  retryNow?.();
  releaseShot();
  app.check = null;
  app.upload = null;
  app.rejected = null;
  startCamera(true);
}

function waitOrRetry(seconds, seq) {
  return new Promise((resolve) => {
    let left = seconds;
    app.upload.waiting = left;
    updateUploadView();
    const tick = setInterval(() => {
      left -= 1;
      if (seq !== uploadSeq) return finish();
      app.upload.waiting = left;
      if (left <= 0) return finish();
      updateUploadView();
    }, 1000);
    function finish() {
      clearInterval(tick);
      retryNow = null;
      resolve();
    }
    retryNow = finish;
  });
}

async function startUpload() {
  const step = currentStep();
  const shot = app.shot;
  if (!shot) return;
  const seq = ++uploadSeq;
  app.phase = 'uploading';
  app.upload = { pct: 0, attempt: 0, waiting: 0, failed: false };
  render();
  announce(t('uploading', { pct: 0 }));
  for (let attempt = 0; ; attempt++) {
    app.upload.attempt = attempt;
    app.upload.waiting = 0;
    app.upload.pct = 0;
    updateUploadView();
    try {
      await app.api.uploadPhoto(step.id, shot.blob, (f) => {
        if (seq !== uploadSeq) return;
        app.upload.pct = Math.round(f * 100);
        const fill = document.getElementById('bar-fill');
        if (fill) fill.style.width = `${app.upload.pct}%`;
        const label = document.getElementById('upload-label');
        if (label) label.textContent = t('uploading', { pct: app.upload.pct });
        label?.parentElement?.querySelector('[role=progressbar]')?.setAttribute('aria-valuenow', String(app.upload.pct));
      });
    } catch (err) {
      if (seq !== uploadSeq) return;
      if (err instanceof NetworkError) {
        if (attempt < BACKOFF.length) {
          announce(t('uploadWaiting', { s: BACKOFF[attempt], n: attempt + 2, max: BACKOFF.length + 1 }));
          await waitOrRetry(BACKOFF[attempt], seq);
          if (seq !== uploadSeq) return;
          continue;
        }
        app.upload.failed = true;
        render('#upload-retry');
        announce(t('uploadFailed'));
        return;
      }
      return uploadRejected(err);
    }
    if (seq !== uploadSeq) return;
    step.done = true;
    app.phase = 'done';
    app.notice = '';
    render('#next');
    announce(`${stepName(step)}: ${t('doneStep')}`);
    return;
  }
}

function uploadRejected(err) {
  if (err.status === 401 || err.status === 410 || (err.status === 409 && /^(challenge\.reissued|session\.submitted)$/.test(err.type))) {
    return handleApiFailure(err);
  }
  if (err.status === 404) {
    // The step is not in the session's challenge any more: show the current one.
    app.notice = t('reissued');
    return reloadSteps();
  }
  const key = `rejected_${err.type.replace(/\./g, '_')}`;
  const summary = t(key) !== key ? t(key) : t('rejectedGeneric');
  app.rejected = { summary, detail: err.detail };
  app.phase = 'rejected';
  render('#retake');
  announce(`${t('rejectedTitle')}. ${summary} ${err.detail ?? ''}`);
}

// ---------- navigation ----------

function goToStep(i) {
  uploadSeq++;
  retryNow?.();
  releaseShot();
  app.index = i;
  app.view = 'step';
  app.check = null;
  app.upload = null;
  app.rejected = null;
  const step = currentStep();
  const facing = defaultFacing(step);
  if (facing !== app.facing) app.facing = facing;
  app.phase = 'camera';
  render('#view-title');
  startCamera();
}

function nextStep() {
  app.notice = '';
  const steps = app.data.steps;
  const next = steps.findIndex((s, i) => i > app.index && !s.done);
  const open = next >= 0 ? next : steps.findIndex((s) => !s.done);
  if (open >= 0) return goToStep(open);
  showReview();
}

function showReview() {
  uploadSeq++;
  releaseShot();
  stopCamera();
  app.view = 'review';
  render('#view-title');
  announce(t('reviewTitle'));
}

async function submit() {
  app.submitting = true;
  render('#submit');
  try {
    await app.api.submit();
  } catch (err) {
    app.submitting = false;
    if (err instanceof ApiError && err.status === 409 && err.type !== 'challenge.reissued') {
      app.notice = t('missingPhoto');
      return reloadSteps();
    }
    if (err instanceof NetworkError) {
      app.notice = `${t('networkTitle')}. ${t('networkText')}`;
      render('#submit');
      announce(app.notice);
      return;
    }
    return handleApiFailure(err);
  }
  app.submitting = false;
  app.view = 'checking';
  app.notice = '';
  render('#view-title');
  announce(`${t('checkingTitle')}. ${t('checkingText')}`);
  pollStatus(2000);
}

function pollStatus(delay) {
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    let status;
    try {
      ({ status } = await app.api.status());
    } catch (err) {
      if (err instanceof NetworkError) return pollStatus(Math.min(delay * 2, 15000));
      // The photos are in; a link that lapses while the check runs changes nothing for the seller.
      app.view = 'finished';
      app.final = 'sent';
      render('#view-title');
      announce(`${t('sentTitle')}. ${t('sentText')}`);
      return;
    }
    if (!showStatus(status)) pollStatus(Math.min(delay + 1000, 5000));
  }, delay);
}

/** Shows the view for a session that is past capture; false while capture is still open. */
function showStatus(status) {
  if (status === 'processing') {
    if (app.view !== 'checking') {
      stopCamera();
      app.view = 'checking';
      render('#view-title');
      pollStatus(2000);
    }
    return false;
  }
  if (status === 'decided' || status === 'review' || status === 'cancelled') {
    stopCamera();
    app.view = 'finished';
    app.final = status === 'review' ? 'inReview' : status === 'cancelled' ? 'cancelled' : 'finished';
    render('#view-title');
    announce(`${t(`${app.final}Title`)}. ${t(`${app.final}Text`)}`);
    return true;
  }
  if (status === 'expired') {
    showFatal({ titleKey: 'sessionExpiredTitle', textKey: 'sessionExpiredText' });
    return true;
  }
  return false;
}

// ---------- loading and failures ----------

function showFatal(fatal) {
  uploadSeq++;
  clearTimeout(pollTimer);
  stopCamera();
  app.view = 'fatal';
  app.fatal = fatal;
  render('#view-title');
  announce(`${t(fatal.titleKey)}. ${t(fatal.textKey)}`);
}

function handleApiFailure(err) {
  if (err instanceof ApiError) {
    if (err.status === 409 && err.type === 'challenge.reissued') {
      app.notice = t('reissued');
      return reloadSteps();
    }
    if (err.status === 401) {
      return showFatal(/expired/.test(err.type)
        ? { titleKey: 'linkExpiredTitle', textKey: 'linkExpiredText' }
        : { titleKey: 'linkInvalidTitle', textKey: 'linkInvalidText' });
    }
    if (err.status === 409 && err.type === 'session.submitted') {
      // Sent from another tab or before a reload: follow the check instead.
      showStatus('processing');
      return;
    }
    if (err.status === 410 && err.type === 'session.cancelled') return showStatus('cancelled');
    if (err.status === 410 && err.type === 'session.attempts_exhausted') return showFatal({ titleKey: 'attemptsTitle', textKey: 'attemptsText' });
    if (err.status === 410) return showFatal({ titleKey: 'sessionExpiredTitle', textKey: 'sessionExpiredText' });
    if (err.status === 403 || err.status === 404) return showFatal({ titleKey: 'linkInvalidTitle', textKey: 'linkInvalidText' });
    return showFatal({ titleKey: 'networkTitle', textKey: 'networkText', detail: err.detail, retry: () => loadSteps() });
  }
  return showFatal({ titleKey: 'networkTitle', textKey: 'networkText', retry: () => loadSteps() });
}

async function reloadSteps() {
  const notice = app.notice;
  await loadSteps();
  if (notice && app.view === 'step') announce(notice);
}

async function loadSteps() {
  uploadSeq++;
  releaseShot();
  if (app.view !== 'step') {
    app.view = 'loading';
    render('#view-title');
  }
  // A session already submitted (the page reloaded after sending) shows its state, not the camera.
  // A failed status call is not reported here: the steps call below explains any problem better.
  const st = await app.api.status().catch(() => null);
  if (st && ['processing', 'review', 'decided', 'cancelled'].includes(st.status)) {
    if (!app.userChoseLocale) setLocale(app.data?.locale ?? navigator.language);
    showStatus(st.status);
    return;
  }
  let data;
  try {
    data = await app.api.steps();
  } catch (err) {
    return handleApiFailure(err);
  }
  app.data = data;
  if (!app.userChoseLocale) setLocale(data.locale);
  const open = data.steps.findIndex((s) => !s.done);
  if (open < 0) return showReview();
  goToStep(open);
}

function readToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromHash = params.get('token');
  if (fromHash) {
    // Keep the token for a reload in this tab, and off the address bar where it could be shared.
    sessionStorage.setItem('realperson.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem('realperson.token');
}

langButton.addEventListener('click', () => {
  app.userChoseLocale = true;
  setLocale(otherLocale());
  render();
  langButton.focus();
});

document.addEventListener('visibilitychange', () => {
  // Phones suspend a hidden page's camera; release it and take it again on return.
  if (document.hidden) {
    if (app.stream) stopCamera();
  } else if (app.view === 'step' && app.phase === 'camera' && !app.stream) {
    startCamera();
  }
});

function boot() {
  setLocale(navigator.language || 'en');
  const token = readToken();
  if (!token) {
    showFatal({ titleKey: 'linkInvalidTitle', textKey: 'linkInvalidText' });
    return;
  }
  app.api = createApi(token);
  loadSteps();
}

boot();
