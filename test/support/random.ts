// A small seeded random source (mulberry32), so rendered test material is the same on every run and a
// failing case can be drawn again from its seed.
export type Rng = () => number;

export function seededRandom(seed: number): Rng {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Raw RGB pixels of Gaussian noise around `mean` in every channel, drawn from `random` (Box-Muller):
 *  libvips' own noise is drawn afresh on every call, so a page rendered with it read on one run and
 *  not on the next. */
export function gaussianNoise(width: number, height: number, { mean, sigma }: { mean: number; sigma: number }, random: Rng): Buffer {
  const out = Buffer.alloc(width * height * 3);
  const level = (v: number) => Math.max(0, Math.min(255, Math.round(mean + v)));
  for (let i = 0; i < out.length; i += 2) {
    const r = sigma * Math.sqrt(-2 * Math.log(1 - random()));
    const a = 2 * Math.PI * random();
    out[i] = level(r * Math.cos(a));
    if (i + 1 < out.length) out[i + 1] = level(r * Math.sin(a));
  }
  return out;
}
