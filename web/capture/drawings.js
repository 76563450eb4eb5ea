// Line drawings that show the seller what to do: one example per step kind and per gesture family,
// and the overlay guides drawn over the live camera. All are SVG built here, never photos.

const INK = '#0f172a';
const SKIN = '#f6d3b3';
const ACCENT = '#2563eb';
const CARD = '#dbeafe';

/** A face in a frame 160×120, optionally turned, tilted, with eyes closed or mouth open. */
function face({ cx = 62, cy = 58, turn = 0, tilt = 0, up = 0, eyesClosed = false, mouthOpen = false } = {}) {
  const ex = turn * 7;
  const ey = -up * 6;
  const eyes = eyesClosed
    ? `<path d="M${cx - 14 + ex} ${cy - 6 + ey} q5 4 10 0 M${cx + 4 + ex} ${cy - 6 + ey} q5 4 10 0" stroke="${INK}" stroke-width="2.2" fill="none" stroke-linecap="round"/>`
    : `<circle cx="${cx - 9 + ex}" cy="${cy - 6 + ey}" r="2.6" fill="${INK}"/><circle cx="${cx + 9 + ex}" cy="${cy - 6 + ey}" r="2.6" fill="${INK}"/>`;
  const nose = `<path d="M${cx + ex * 1.4} ${cy - 2 + ey} l${turn * 3 - 2} 8 h4" stroke="${INK}" stroke-width="1.8" fill="none" stroke-linecap="round"/>`;
  const mouth = mouthOpen
    ? `<ellipse cx="${cx + ex}" cy="${cy + 15 + ey}" rx="6" ry="7" fill="#7f1d1d" stroke="${INK}" stroke-width="1.8"/>`
    : `<path d="M${cx - 8 + ex} ${cy + 13 + ey} q8 6 16 0" stroke="${INK}" stroke-width="2" fill="none" stroke-linecap="round"/>`;
  const rx = 24 - Math.abs(turn) * 3;
  return `<path d="M${cx - 40} 120 q0 -26 40 -28 q40 2 40 28 z" fill="#cbd5e1" stroke="${INK}" stroke-width="2"/>
    <g transform="rotate(${tilt} ${cx} ${cy + 28})">
    <ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="30" fill="${SKIN}" stroke="${INK}" stroke-width="2.2"/>
    <path d="M${cx - rx} ${cy - 8} q${rx} -34 ${rx * 2} 0 q-6 -30 -${rx} -22 q-${rx - 6} -8 -${rx} 22 z" fill="#3f3f46"/>
    ${eyes}${nose}${mouth}</g>`;
}

/**
 * A hand in local coordinates (palm centred on 0,0, fingers pointing up, thumb towards −x).
 * `fingers` lists which of thumb, index, middle, ring, pinky are extended. `forearm` leaves the fist
 * of a thumbs-up shape below it, or to the side opposite the knuckles (a fist turned thumb down is
 * held so, the arm coming in from the side rather than from above).
 */
function hand({ x, y, rotate = 0, scale = 1, mirror = false, fingers = [1, 1, 1, 1, 1], ok = false, opacity = 1, forearm = 'below' }) {
  const [thumb, ...rest] = fingers;
  const fx = [-10.5, -3.5, 3.5, 10.5];
  const parts = rest.map((up, i) => {
    const len = up ? (i === 1 ? 24 : i === 3 ? 17 : 21) : 7;
    if (ok && i === 0) return '';
    return `<rect x="${fx[i] - 3.3}" y="${-15 - len}" width="6.6" height="${len + 6}" rx="3.3" fill="${SKIN}" stroke="${INK}" stroke-width="1.8"/>`;
  });
  const thumbPart = ok
    ? `<circle cx="-11" cy="-22" r="7" fill="none" stroke="${INK}" stroke-width="6.6"/><circle cx="-11" cy="-22" r="7" fill="none" stroke="${SKIN}" stroke-width="3.4"/>`
    : thumb
        ? `<rect x="-17.5" y="-16" width="7" height="24" rx="3.5" transform="rotate(-38 -14 8)" fill="${SKIN}" stroke="${INK}" stroke-width="1.8"/>`
        : `<rect x="-13" y="-2" width="18" height="7" rx="3.5" fill="${SKIN}" stroke="${INK}" stroke-width="1.8"/>`;
  const sx = mirror ? -scale : scale;
  if (thumb === 2) {
    // A fist seen from the side with the thumb straight up: the thumbs-up shape.
    const knuckles = [0, 1, 2, 3].map((i) => `<rect x="-4" y="${-10 + i * 7.5}" width="22" height="8" rx="4" fill="${SKIN}" stroke="${INK}" stroke-width="1.8"/>`).join('');
    return `<g transform="translate(${x} ${y}) rotate(${rotate}) scale(${sx} ${scale})" opacity="${opacity}">
      <rect x="-16" y="-14" width="26" height="34" rx="9" fill="${SKIN}" stroke="${INK}" stroke-width="2"/>
      <rect x="-14" y="-38" width="9" height="30" rx="4.5" fill="${SKIN}" stroke="${INK}" stroke-width="1.8"/>
      ${knuckles}
      <path d="${forearm === 'side' ? 'M-16 -1 h-12 M-16 13 h-12' : 'M-9 20 v10 M3 20 v10'}" stroke="${INK}" stroke-width="2"/></g>`;
  }
  return `<g transform="translate(${x} ${y}) rotate(${rotate}) scale(${sx} ${scale})" opacity="${opacity}">
    ${parts.join('')}${ok ? '' : thumbPart}
    <rect x="-15" y="-17" width="30" height="32" rx="9" fill="${SKIN}" stroke="${INK}" stroke-width="2"/>
    ${ok || !thumb ? thumbPart : ''}
    <path d="M-6 15 v10 M6 15 v10" stroke="${INK}" stroke-width="2"/></g>`;
}

function arrow(d) {
  return `<path d="${d}" stroke="${ACCENT}" stroke-width="3" fill="none" stroke-linecap="round" stroke-linejoin="round" marker-end="url(#rp-arrow)"/>`;
}

function svg(body, label) {
  return `<svg viewBox="0 0 160 120" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
    <defs><marker id="rp-arrow" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="${ACCENT}"/></marker></defs>
    ${body}</svg>`;
}

function idCard(x, y, w = 58) {
  const h = w / 1.585;
  return `<g transform="translate(${x} ${y})">
    <rect width="${w}" height="${h}" rx="4" fill="${CARD}" stroke="${INK}" stroke-width="2"/>
    <rect x="${w * 0.07}" y="${h * 0.2}" width="${w * 0.28}" height="${h * 0.6}" rx="2" fill="#93c5fd" stroke="${INK}" stroke-width="1.2"/>
    <circle cx="${w * 0.21}" cy="${h * 0.42}" r="${h * 0.12}" fill="${SKIN}"/>
    <path d="M${w * 0.42} ${h * 0.28} h${w * 0.48} M${w * 0.42} ${h * 0.46} h${w * 0.4} M${w * 0.42} ${h * 0.64} h${w * 0.44} M${w * 0.07} ${h * 0.9} h${w * 0.8}" stroke="${INK}" stroke-width="1.6" stroke-linecap="round"/></g>`;
}

function newspaperSheet(x, y) {
  return `<g transform="translate(${x} ${y}) rotate(-4)">
    <rect width="56" height="74" fill="#f8fafc" stroke="${INK}" stroke-width="2"/>
    <rect x="5" y="5" width="46" height="10" fill="${INK}"/>
    <rect x="5" y="18" width="30" height="5" fill="${ACCENT}"/>
    <path d="M5 29 h46 M5 35 h20 M5 41 h20 M5 47 h20 M5 53 h20 M5 59 h20 M30 35 h21 M30 41 h21 M30 47 h21 M30 53 h21" stroke="#64748b" stroke-width="2"/></g>`;
}

/** Gesture ids are kebab-case words (`one-index-left`); matching works on `one_index_left`. */
function norm(gestureId = '') {
  return String(gestureId).toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** The side a gesture happens on (hand, cheek or eye), from a `left` / `right` word in its id. */
export function handSide(gestureId = '') {
  const id = norm(gestureId);
  if (/(^|_)left(_|$)/.test(id)) return 'left';
  if (/(^|_)right(_|$)/.test(id)) return 'right';
  return null;
}

/** Face-only gestures (no hand to look for in the pre-check, only the face oval as a guide). */
export function isFaceAction(gestureId = '') {
  const id = norm(gestureId);
  return /^(head|face|eyes?|mouth|chin_up|look|smile|blink)/.test(id) && !/touch|finger|hand|palm/.test(id);
}

/** Gestures made with the hand on the face, where a box beside the face would mislead. */
export function isOnFace(gestureId = '') {
  const id = norm(gestureId);
  return !isFaceAction(id) && /nose|chin|eye|head/.test(id);
}

/** Which hand to use, when the gesture names one (`victory-left`), not a cheek or an eye. */
export function whichHand(gestureId = '') {
  const id = norm(gestureId);
  if (isFaceAction(id) || /cheek|eye/.test(id)) return null;
  return /_left$/.test(id) ? 'left' : /_right$/.test(id) ? 'right' : null;
}

const NUMBER_WORDS = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** Extended fingers (thumb, index, middle, ring, pinky) for counting and sign gestures. */
function fingerSet(id) {
  if (/six|thumb_pinky|shaka/.test(id)) return [1, 0, 0, 0, 1];
  if (/thumb_index_middle/.test(id)) return [1, 1, 1, 0, 0];
  if (/eight|thumb_index/.test(id)) return [1, 1, 0, 0, 0];
  if (/three_middle/.test(id)) return [0, 1, 1, 1, 0];
  if (/index_pinky|horns/.test(id)) return [0, 1, 0, 0, 1];
  if (/pinky/.test(id)) return [0, 0, 0, 0, 1];
  if (/open_palm|palm_open|five|spread/.test(id)) return [1, 1, 1, 1, 1];
  const digit = id.match(/(\d)/)?.[1];
  const word = Object.keys(NUMBER_WORDS).find((w) => new RegExp(`(^|_)${w}(_|$)`).test(id));
  const n = Number(digit ?? NUMBER_WORDS[word] ?? 0);
  return n >= 1 && n <= 5 ? FINGER_SETS[n] : null;
}

const FINGER_SETS = {
  1: [0, 1, 0, 0, 0],
  2: [0, 1, 1, 0, 0],
  3: [0, 1, 1, 1, 0],
  4: [0, 1, 1, 1, 1],
  5: [1, 1, 1, 1, 1],
};

/** The drawing family a gesture id belongs to; 'generic' when none fits (an open hand is drawn). */
export function gestureFamily(gestureId = '') {
  const id = norm(gestureId);
  if (/thumbs?_?up/.test(id)) return 'thumb_up';
  if (/thumbs?_?down/.test(id)) return 'thumb_down';
  if (/victory|peace/.test(id)) return 'victory';
  if (/(^|_)ok(_|$)|ok_?sign|circle/.test(id)) return 'ok';
  if (/love|ily/.test(id)) return 'i_love_you';
  if (/fist/.test(id)) return 'fist_cheek';
  if (/nose/.test(id)) return 'finger_nose';
  if (/chin/.test(id) && !/chin_?up/.test(id)) return 'finger_chin';
  if (/eye/.test(id) && /palm|cover|hand/.test(id)) return 'palm_eye';
  if (/head/.test(id) && /hand|palm|top|pat/.test(id)) return 'hand_head';
  if (fingerSet(id)) return 'fingers';
  if (/turn|yaw|look_(left|right)/.test(id)) return 'head_turn';
  if (/tilt|roll/.test(id)) return 'head_tilt';
  if (/chin_?up|look_?up|pitch|head_?up/.test(id)) return 'chin_up';
  if (/eyes?_?closed|close_?eyes|blink/.test(id)) return 'eyes_closed';
  if (/mouth/.test(id)) return 'mouth_open';
  return 'generic';
}

/** The example drawing for a gesture step, chosen by the gesture's family. */
export function gestureDrawing(gestureId = '', label = '') {
  const id = norm(gestureId);
  // The seller sees a mirror image on screen, so their right hand is drawn on the viewer's right.
  const left = handSide(id) === 'left';
  const base = { x: left ? 22 : 118, y: 62, mirror: left };
  const dir = /left/.test(id) ? -1 : 1;
  const bodies = {
    thumb_up: () => face() + hand({ ...base, fingers: [2, 0, 0, 0, 0] }),
    thumb_down: () => face() + hand({ ...base, rotate: 180, fingers: [2, 0, 0, 0, 0], forearm: 'side' }),
    victory: () => face() + hand({ ...base, fingers: FINGER_SETS[2] }),
    ok: () => face() + hand({ ...base, fingers: [1, 0, 1, 1, 1], ok: true }),
    i_love_you: () => face() + hand({ ...base, fingers: [1, 1, 0, 0, 1] }),
    fist_cheek: () => face() + hand({ x: left ? 36 : 88, y: 70, mirror: left, scale: 0.9, fingers: [0, 0, 0, 0, 0] }),
    finger_nose: () => face() + hand({ x: left ? 44 : 80, y: 92, rotate: left ? 20 : -20, mirror: left, scale: 0.9, fingers: [0, 1, 0, 0, 0] }),
    finger_chin: () => face() + hand({ x: left ? 50 : 74, y: 110, rotate: left ? 15 : -15, mirror: left, scale: 0.9, fingers: [0, 1, 0, 0, 0] }),
    palm_eye: () => face() + hand({ x: left ? 55 : 69, y: 48, mirror: left, scale: 0.8, fingers: [1, 1, 1, 1, 1], opacity: 0.92 }),
    hand_head: () => face({ cy: 68 }) + hand({ x: 62, y: 30, rotate: left ? -90 : 90, scale: 0.85, fingers: [1, 1, 1, 1, 1] }),
    fingers: () => face() + hand({ ...base, fingers: fingerSet(id) }),
    head_turn: () => face({ turn: dir }) + arrow(dir < 0 ? 'M40 14 q-14 4 -22 16' : 'M84 14 q14 4 22 16'),
    head_tilt: () => face({ tilt: dir * 18 }) + arrow(dir < 0 ? 'M96 40 q-6 -22 -28 -30' : 'M28 40 q6 -22 28 -30'),
    chin_up: () => face({ up: 1 }) + arrow('M118 80 v-50'),
    eyes_closed: () => face({ eyesClosed: true }),
    mouth_open: () => face({ mouthOpen: true }),
    generic: () => face() + hand({ ...base, fingers: [1, 1, 1, 1, 1] }),
  };
  return svg(bodies[gestureFamily(id)](), label);
}

/** The example drawing for a step. */
export function stepDrawing(step, label = '') {
  switch (step.kind) {
    case 'id_front':
      return svg(idCard(28, 24, 104), label);
    case 'selfie_with_id':
      return svg(face() + idCard(96, 40, 54) + hand({ x: 108, y: 84, scale: 0.7, fingers: [2, 0, 0, 0, 0] }), label);
    case 'newspaper':
      return svg(face({ cx: 50 }) + newspaperSheet(94, 30), label);
    case 'gesture':
      return gestureDrawing(step.gestureId ?? '', label);
    default:
      return svg(face(), label);
  }
}

/** Which guide to draw over the camera for a step. */
export function guideFor(step) {
  if (step.kind === 'id_front') return 'card';
  if (step.kind === 'selfie_with_id') return 'selfie_with_id';
  if (step.kind === 'newspaper') return 'newspaper';
  if (step.kind === 'gesture') return isFaceAction(step.gestureId) ? 'face_action' : isOnFace(step.gestureId) ? 'face_hand' : 'gesture';
  return 'face';
}

/**
 * The overlay guide, sized to the camera stage (w×h in CSS pixels): the area outside the guides is
 * dimmed. `side` puts the hand or card box on the seller's side of a mirrored preview.
 */
export function overlay(guide, w, h, side = 'right') {
  const shapes = [];
  const oval = (cx, cy, ry) => ({ kind: 'ellipse', cx, cy, rx: ry * 0.76, ry });
  const box = (x, y, bw, bh, dashed = false) => ({ kind: 'rect', x, y, w: bw, h: bh, dashed });
  const s = side === 'left' ? -1 : 1;
  if (guide === 'card') {
    const cw = Math.min(w * 0.88, h * 0.8 * 1.585);
    const chh = cw / 1.585;
    shapes.push(box((w - cw) / 2, (h - chh) / 2, cw, chh));
  } else if (guide === 'face' || guide === 'face_action' || guide === 'face_hand') {
    shapes.push(oval(w / 2, h * 0.46, Math.min(h * 0.32, w * 0.4 / 0.76)));
  } else {
    // Face a little off centre, with the card or hand box on the other side.
    const ry = Math.min(h * 0.26, w * 0.26 / 0.76);
    const fx = w / 2 - s * w * 0.16;
    shapes.push(oval(fx, h * 0.44, ry));
    // A card is landscape, a folded newspaper page portrait, a hand roughly square.
    const bw = guide === 'newspaper' ? Math.min(w * 0.4, h * 0.8 * 0.75) : Math.min(w * 0.34, ry * 1.5);
    const bh = guide === 'selfie_with_id' ? bw / 1.585 : guide === 'newspaper' ? bw / 0.75 : bw * 1.15;
    const bx = w / 2 + s * w * 0.2 - bw / 2;
    shapes.push(box(Math.max(4, Math.min(w - bw - 4, bx)), h * 0.44 - bh / 2, bw, bh, true));
  }
  const holes = shapes.map((p) => p.kind === 'ellipse'
    ? `M${p.cx - p.rx} ${p.cy} a${p.rx} ${p.ry} 0 1 0 ${2 * p.rx} 0 a${p.rx} ${p.ry} 0 1 0 ${-2 * p.rx} 0 z`
    : `M${p.x} ${p.y} h${p.w} v${p.h} h${-p.w} z`).join(' ');
  const strokes = shapes.map((p) => p.kind === 'ellipse'
    ? `<ellipse cx="${p.cx}" cy="${p.cy}" rx="${p.rx}" ry="${p.ry}" class="guide-line"/>`
    : `<rect x="${p.x}" y="${p.y}" width="${p.w}" height="${p.h}" rx="12" class="guide-line${p.dashed ? ' dashed' : ''}"/>`).join('');
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">
    <path d="M0 0 h${w} v${h} h${-w} z ${holes}" fill-rule="evenodd" class="guide-mask"/>${strokes}</svg>`;
}

/** A camera with a stroke through it, for the camera problems panel. */
export function cameraOffIcon() {
  return `<svg viewBox="0 0 48 48" width="56" height="56" aria-hidden="true" xmlns="http://www.w3.org/2000/svg">
    <circle cx="24" cy="24" r="24" fill="#fee2e2"/>
    <rect x="11" y="17" width="20" height="15" rx="3" fill="none" stroke="#991b1b" stroke-width="2.5"/>
    <path d="M31 22 l7 -4 v13 l-7 -4" fill="none" stroke="#991b1b" stroke-width="2.5" stroke-linejoin="round"/>
    <path d="M10 12 L38 38" stroke="#991b1b" stroke-width="2.8" stroke-linecap="round"/></svg>`;
}
