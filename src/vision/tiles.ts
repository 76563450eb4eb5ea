// Where to look again for faces too small for a whole-photo pass: an ID card's printed portrait
// beside a live face, the small "ghost" portrait printed on a card. Pure geometry.

export interface Tile {
  left: number;
  top: number;
  side: number;
}

/** Square tiles of `side` pixels covering the photo, overlapping by half a tile so no face is cut in two everywhere. */
export function tileGrid(width: number, height: number, side: number): Tile[] {
  const s = Math.max(1, Math.min(Math.round(side), width, height));
  const starts = (extent: number) => {
    const out: number[] = [];
    const stride = Math.max(1, Math.round(s / 2));
    for (let p = 0; p + s < extent; p += stride) out.push(p);
    out.push(extent - s);
    return [...new Set(out)];
  };
  const tiles: Tile[] = [];
  for (const top of starts(height)) for (const left of starts(width)) tiles.push({ left, top, side: s });
  return tiles;
}

type BoxTuple = [number, number, number, number];

/** Intersection over the smaller box: 1 when one face box lies inside the other. */
export function overlap(a: BoxTuple, b: BoxTuple): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a[2] * a[3], b[2] * b[3]);
}
