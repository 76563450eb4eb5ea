// Where to look again for faces too small for a whole-photo pass: an ID card's printed portrait
// beside a live face, the small "ghost" portrait printed on a card. Pure geometry.

export interface Tile {
  left: number;
  top: number;
  side: number;
}

/**
 * Square tiles of about `side` pixels covering the photo. Neighbours overlap by a quarter of a tile,
 * so any face smaller than that lies whole in some tile, and the faces looked for are: the largest
 * the whole-photo pass misses among the fixtures is the webank ID card's ghost portrait (45 px on a
 * 600-px photo, 7.5% of its longer side), the whole-photo pass found every face of faces/human shrunk
 * into a 1024x768 frame down to 5%, and a quarter tile is 8.3% of the longer side at a third, 12.5% at a half.
 * A shorter side that exceeds the tile by less than a quarter is covered by one tile grown to it,
 * rather than by a second row of detector runs for a thin strip: a 16:9 frame takes three tiles of
 * its full height instead of six half-width ones, for 11% less magnification.
 */
export function tileGrid(width: number, height: number, side: number): Tile[] {
  let s = Math.max(1, Math.min(Math.round(side), width, height));
  const shorter = Math.min(width, height);
  if (shorter > s && shorter <= s * 1.25) s = shorter;
  const overlap = s / 4;
  const starts = (extent: number) => {
    const n = Math.max(1, Math.ceil((extent - overlap) / (s - overlap)));
    if (n === 1) return [0];
    return [...new Set(Array.from({ length: n }, (_, i) => Math.round((i * (extent - s)) / (n - 1))))];
  };
  const tiles: Tile[] = [];
  for (const top of starts(height)) for (const left of starts(width)) tiles.push({ left, top, side: s });
  return tiles;
}

type BoxTuple = [number, number, number, number];

/**
 * The same tiles, those whose centre lies nearest the box's centre first: a held card is beside the
 * face of the person holding it, so a search that stops at its first find looks there first.
 */
export function nearestFirst(tiles: Tile[], box: BoxTuple): Tile[] {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const distance = (t: Tile) => Math.hypot(t.left + t.side / 2 - cx, t.top + t.side / 2 - cy);
  return [...tiles].sort((a, b) => distance(a) - distance(b));
}

/** Intersection over the smaller box: 1 when one face box lies inside the other. */
export function overlap(a: BoxTuple, b: BoxTuple): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a[2] * a[3], b[2] * b[3]);
}
