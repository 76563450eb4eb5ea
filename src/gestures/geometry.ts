// Plane geometry over image points (x right, y down). Depth is left out on purpose: the landmark
// model's z is relative and noisy, while the x/y positions are what the photo actually shows.
import type { Point } from '../vision/types.js';

export const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
export const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);
export const cross = (a: Point, b: Point): number => a.x * b.y - a.y * b.x;
export const mean = (ps: Point[]): Point => ({
  x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
  y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
});

/** Angle at `b` of the path a→b→c, in degrees: 180 is straight, 0 is folded back. */
export function jointAngle(a: Point, b: Point, c: Point): number {
  const u = sub(a, b);
  const v = sub(c, b);
  const nu = Math.hypot(u.x, u.y);
  const nv = Math.hypot(v.x, v.y);
  if (nu === 0 || nv === 0) return 180;
  const cos = Math.max(-1, Math.min(1, (u.x * v.x + u.y * v.y) / (nu * nv)));
  return (Math.acos(cos) * 180) / Math.PI;
}

/** Degrees between vector v and straight up in the image (0 up, 90 sideways, 180 down). */
export function angleFromUp(v: Point): number {
  const n = Math.hypot(v.x, v.y);
  if (n === 0) return 90;
  return (Math.acos(Math.max(-1, Math.min(1, -v.y / n))) * 180) / Math.PI;
}

export const round = (v: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));
