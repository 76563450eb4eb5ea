// Draws what the pipeline saw over a step's photo: face boxes (the ID portrait, the live face, other
// faces), hand boxes with their 21 keypoints and bones, and a banner with the step's verdict and any
// spoof signal. Reads `evidence.observations[stepId]` (the vision module's Observations: pixels of the
// analysed image) when the pipeline stored it; every field is optional and a missing one draws nothing.

const BONES = [[0, 1], [1, 2], [2, 3], [3, 4], [0, 5], [5, 6], [6, 7], [7, 8], [5, 9], [9, 10], [10, 11], [11, 12],
  [9, 13], [13, 14], [14, 15], [15, 16], [13, 17], [0, 17], [17, 18], [18, 19], [19, 20]];

export const COLORS = { idPortrait: '#2563eb', live: '#16a34a', other: '#f59e0b', hand: '#db2777', ok: '#15803d', warn: '#b45309', bad: '#b91c1c' };

const num = (v) => typeof v === 'number' && Number.isFinite(v);
const isBox = (b) => b && num(b.x) && num(b.y) && num(b.width) && num(b.height);

/** The faces of one step with the role each plays, largest first as the vision module reports them. */
export function facesWithRoles(kind, obs) {
  const faces = Array.isArray(obs?.faces) ? obs.faces.filter((f) => isBox(f?.box)) : [];
  return faces.map((f, i) => {
    const role = f.role ?? (kind === 'id_front' ? (i === 0 ? 'idPortrait' : 'other') : (i === 0 ? 'live' : 'other'));
    const label = role === 'idPortrait' ? 'ID portrait' : role === 'live' ? 'live face' : kind === 'selfie_with_id' ? 'card portrait / other face' : 'other face';
    return { ...f, role, label };
  });
}

function label(ctx, text, x, y, color, scale, below = y) {
  const pad = 4 * scale;
  ctx.font = `600 ${Math.round(11 * scale)}px system-ui, sans-serif`;
  const w = ctx.measureText(text).width + pad * 2;
  const hgt = 16 * scale;
  // Above the box, or under it when above would run beneath the spoof banner at the top.
  const top = y - hgt < 22 * scale ? below : y - hgt;
  ctx.fillStyle = color;
  ctx.fillRect(x, top, w, hgt);
  ctx.fillStyle = '#fff';
  ctx.fillText(text, x + pad, top + hgt - 5 * scale);
}

function banner(ctx, text, color, atTop, scale) {
  const hgt = 20 * scale;
  const y = atTop ? 0 : ctx.canvas.height - hgt;
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.88;
  ctx.fillRect(0, y, ctx.canvas.width, hgt);
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#fff';
  ctx.font = `600 ${Math.round(11 * scale)}px system-ui, sans-serif`;
  ctx.fillText(text, 6 * scale, y + hgt - 6 * scale, ctx.canvas.width - 12 * scale);
}

/**
 * Paints `img` on `canvas` and, when `show`, the overlays. Returns what was drawn (for the legend
 * and for tests): counts of faces, hands and keypoints.
 */
export function drawStep(canvas, img, { step, evidence, thresholds, show = true }) {
  const maxSide = 1400;
  const k = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight));
  canvas.width = Math.round(img.naturalWidth * k);
  canvas.height = Math.round(img.naturalHeight * k);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  const drawn = { faces: 0, hands: 0, keypoints: 0, banners: 0 };
  if (!show) return drawn;

  const obs = evidence?.observations?.[step.id] ?? null;
  // Observations are in the analysed image's pixels; scale them onto the canvas.
  const sx = canvas.width / (num(obs?.width) ? obs.width : img.naturalWidth);
  const sy = canvas.height / (num(obs?.height) ? obs.height : img.naturalHeight);
  // Line widths and text keep one on-screen size whatever the photo's resolution and the card's width.
  const shown = canvas.getBoundingClientRect().width;
  const ui = Math.max(0.75, canvas.width / (shown > 50 ? shown : 350));

  for (const f of facesWithRoles(step.kind, obs)) {
    const color = COLORS[f.role] ?? COLORS.other;
    ctx.strokeStyle = color;
    ctx.lineWidth = 2.5 * ui;
    ctx.strokeRect(f.box.x * sx, f.box.y * sy, f.box.width * sx, f.box.height * sy);
    const extra = num(f.score) ? ` ${f.score.toFixed(2)}` : '';
    label(ctx, `${f.label}${extra}`, f.box.x * sx, f.box.y * sy, color, ui, (f.box.y + f.box.height) * sy);
    drawn.faces++;
  }
  for (const hand of Array.isArray(obs?.hands) ? obs.hands : []) {
    if (isBox(hand?.box)) {
      ctx.setLineDash([8 * ui, 5 * ui]);
      ctx.strokeStyle = COLORS.hand;
      ctx.lineWidth = 2 * ui;
      ctx.strokeRect(hand.box.x * sx, hand.box.y * sy, hand.box.width * sx, hand.box.height * sy);
      ctx.setLineDash([]);
      label(ctx, `hand${num(hand.score) ? ` ${hand.score.toFixed(2)}` : ''}`, hand.box.x * sx, hand.box.y * sy, COLORS.hand, ui, (hand.box.y + hand.box.height) * sy);
    }
    const kp = Array.isArray(hand?.keypoints) ? hand.keypoints : [];
    const at = (i) => (kp[i] && num(kp[i].x) && num(kp[i].y) ? [kp[i].x * sx, kp[i].y * sy] : null);
    ctx.strokeStyle = '#fdf2f8';
    ctx.lineWidth = 2.5 * ui;
    for (const [a, b] of BONES) {
      const p = at(a);
      const q = at(b);
      if (!p || !q) continue;
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      ctx.lineTo(q[0], q[1]);
      ctx.stroke();
    }
    kp.forEach((_, i) => {
      const p = at(i);
      if (!p) return;
      ctx.beginPath();
      ctx.fillStyle = i === 0 ? '#7c3aed' : [4, 8, 12, 16, 20].includes(i) ? '#facc15' : COLORS.hand;
      ctx.arc(p[0], p[1], 3 * ui, 0, Math.PI * 2);
      ctx.fill();
      drawn.keypoints++;
    });
    drawn.hands++;
  }

  // Verdict banner at the bottom, spoof signals at the top.
  const verdict = stepVerdict(step, evidence, thresholds);
  if (verdict) {
    banner(ctx, verdict.text, COLORS[verdict.tone], false, ui);
    drawn.banners++;
  }
  const spoof = (Array.isArray(evidence?.spoof) ? evidence.spoof : []).filter((s) => s?.stepId === step.id);
  if (spoof.length) {
    banner(ctx, `spoof: ${spoof.map((s) => `${s.code} ${num(s.score) ? s.score.toFixed(2) : ''}`).join(' · ')}`, COLORS.bad, true, ui);
    drawn.banners++;
  }
  return drawn;
}

/**
 * The band a face similarity was judged by, given the width of the smaller face compared: none under
 * the minimum width (the score counts neither way), a higher approve line under the small-face width
 * (thresholds.faceSizes, from src/decide/checks/faces.ts).
 */
export function faceBand(band, px, sizes) {
  if (!band || !sizes || !num(px)) return band;
  if (px < sizes.minFacePx) return null;
  return px < sizes.smallFacePx ? { ...band, approveAbove: Math.max(band.approveAbove, sizes.smallFaceApproveAbove) } : band;
}

/** ok above the approve threshold, bad below the reject threshold, warn between or unknown. */
export function bandTone(v, band) {
  if (!num(v) || !band) return 'warn';
  return v > band.approveAbove ? 'ok' : v < band.rejectBelow ? 'bad' : 'warn';
}

/** One line on what the pipeline concluded for this step, and its tone. */
export function stepVerdict(step, evidence, thresholds) {
  if (step.kind === 'gesture') {
    const g = (evidence?.gestures ?? []).find((x) => x?.stepId === step.id);
    const asked = step.gesture ? `${step.gesture.id} v${step.gesture.version}` : 'a gesture';
    if (!g) return { text: `asked: ${asked} · no verdict`, tone: 'warn' };
    const word = g.passed === true ? 'shown' : g.passed === false ? 'not shown' : 'cannot tell';
    return { text: `asked: ${asked} · ${word} · fit ${num(g.score) ? g.score.toFixed(2) : '—'}`, tone: g.passed === true ? 'ok' : g.passed === false ? 'bad' : 'warn' };
  }
  if (step.kind === 'newspaper') {
    const n = evidence?.newspaper;
    if (!n || n.stepId !== step.id) return null;
    const date = n.dateRead ?? 'no date read';
    const inWindow = n.dateRead && n.window && n.dateRead >= n.window.from && n.dateRead <= n.window.to;
    return { text: `${n.expectedName ?? 'newspaper'} · masthead ${n.mastheadFound ? 'found' : n.mastheadFound === false ? 'not found' : '?'} · date ${date}`, tone: inWindow && n.mastheadFound ? 'ok' : n.dateRead && !inWindow ? 'bad' : 'warn' };
  }
  if (step.kind === 'selfie_with_id') {
    const fm = evidence?.faceMatch;
    if (!fm) return null;
    return { text: `face vs ID portrait ${num(fm.score) ? fm.score.toFixed(2) : '—'} · held card ${num(fm.heldCardScore) ? fm.heldCardScore.toFixed(2) : '—'}`, tone: bandTone(fm.score, faceBand(thresholds?.faceMatch, fm.smallestFacePx, thresholds?.faceSizes)) };
  }
  if (step.kind === 'id_front') {
    const d = evidence?.document;
    if (!d) return null;
    return { text: `number read ${d.numberRead ?? '—'} · checksum ${d.checksumValid === true ? 'valid' : d.checksumValid === false ? 'invalid' : '?'}`, tone: d.checksumValid === false || d.numberMatches === false ? 'bad' : d.checksumValid && d.numberMatches ? 'ok' : 'warn' };
  }
  return null;
}
