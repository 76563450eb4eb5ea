// Tiles of the small-face search: where the detector looks again, and in which order.
import { describe, expect, it } from 'vitest';
import { nearestFirst, tileGrid, type Tile } from '../../../src/vision/tiles.js';

const inside = (t: Tile, x: number, y: number, side = 1) => x >= t.left && y >= t.top && x + side <= t.left + t.side && y + side <= t.top + t.side;

describe('small-face tile grid', () => {
  for (const [width, height, fraction] of [[336, 193, 1 / 2], [600, 368, 1 / 3], [1024, 768, 1 / 2], [1024, 768, 1 / 3], [1080, 1920, 1 / 2], [1920, 1080, 1 / 3]]) {
    it(`holds every face under a quarter tile whole in some tile (${width}x${height}, ${fraction.toFixed(2)})`, () => {
      const tiles = tileGrid(width, height, Math.max(width, height) * fraction);
      const side = tiles[0].side;
      for (const t of tiles) {
        expect(t.left).toBeGreaterThanOrEqual(0);
        expect(t.top).toBeGreaterThanOrEqual(0);
        expect(t.left + t.side).toBeLessThanOrEqual(width);
        expect(t.top + t.side).toBeLessThanOrEqual(height);
      }
      const face = Math.floor(side / 4);
      for (let y = 0; y + face <= height; y += 7) {
        for (let x = 0; x + face <= width; x += 7) {
          expect(tiles.some((t) => inside(t, x, y, face)), `face at ${x},${y}`).toBe(true);
        }
      }
      expect(new Set(tiles.map((t) => `${t.left},${t.top}`)).size).toBe(tiles.length);
    });
  }

  it('covers a wide frame with tiles of its full height rather than a second row for a thin strip', () => {
    const tiles = tileGrid(336, 193, 168);
    expect(tiles.every((t) => t.side === 193 && t.top === 0)).toBe(true);
    expect(tiles).toHaveLength(2);
    // a 4:3 photo keeps half-side tiles: its shorter side is 1.5 tiles
    const square = tileGrid(1024, 768, 512);
    expect(square.every((t) => t.side === 512)).toBe(true);
    expect(square).toHaveLength(6);
  });
});

describe('tile order', () => {
  it('puts the tiles nearest the face first and keeps every tile', () => {
    const tiles = tileGrid(1024, 768, 341);
    const face: [number, number, number, number] = [700, 300, 200, 200];
    const ordered = nearestFirst(tiles, face);
    expect(ordered).toHaveLength(tiles.length);
    expect(new Set(ordered)).toEqual(new Set(tiles));
    expect(inside(ordered[0], 800, 400)).toBe(true);
    const far = ordered[ordered.length - 1];
    expect(far.left).toBe(0);
    expect(far.top).toBe(0);
  });
});
