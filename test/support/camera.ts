// Builds the video that Chromium's fake camera plays (--use-file-for-fake-video-capture): a short
// Y4M clip made from a still fixture photo, so browser tests see a real face and hand on camera.
import { writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export interface FakeVideoOptions {
  /** Output file; defaults to a file in the OS temp folder (never inside the repository). */
  out?: string;
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  /** Share of the frame the photo fills (default 1, cropped to fill); below 1 it sits small and centred, as if far away. */
  scale?: number;
}

/**
 * Writes a YUV4MPEG2 (I420) clip showing `photo` and returns its path. Each frame drifts by a pixel
 * or two so the picture is not perfectly frozen, as a real camera never is.
 */
export async function makeFakeVideo(photo: string, opts: FakeVideoOptions = {}): Promise<string> {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const fps = opts.fps ?? 5;
  const frames = Math.max(1, Math.round((opts.seconds ?? 2) * fps));
  const out = opts.out ?? path.join(tmpdir(), `realperson-camera-${path.basename(photo).replace(/\W+/g, '_')}-${width}x${height}-${opts.scale ?? 1}.y4m`);
  await mkdir(path.dirname(out), { recursive: true });

  // A slightly larger canvas than the frame, so each frame can be a shifted window of it.
  const margin = 4;
  const fullW = width + 2 * margin;
  const fullH = height + 2 * margin;
  const scale = opts.scale ?? 1;
  let picture = sharp(photo).resize(fullW, fullH, { fit: 'cover', position: 'centre' });
  if (scale < 1) {
    const small = await sharp(photo)
      .resize(Math.round(fullW * scale), Math.round(fullH * scale), { fit: 'inside' })
      .removeAlpha()
      .toBuffer();
    picture = sharp({ create: { width: fullW, height: fullH, channels: 3, background: { r: 236, g: 236, b: 232 } } })
      .composite([{ input: small, gravity: 'centre' }]);
  }
  const { data } = await sharp(await picture.removeAlpha().png().toBuffer())
    .raw()
    .toBuffer({ resolveWithObject: true });
  const stride = (width + 2 * margin) * 3;

  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const frameTag = Buffer.from('FRAME\n', 'ascii');
  const chunks: Buffer[] = [header];
  for (let f = 0; f < frames; f++) {
    const dx = margin + Math.round(Math.sin((f / frames) * 2 * Math.PI) * 2);
    const dy = margin + Math.round(Math.cos((f / frames) * 2 * Math.PI) * 2);
    chunks.push(frameTag, rgbWindowToI420(data, stride, dx, dy, width, height));
  }
  await writeFile(out, Buffer.concat(chunks));
  return out;
}

/** BT.601 studio-range RGB → planar I420 (Y, then U and V subsampled 2×2), the layout Y4M C420 expects. */
function rgbWindowToI420(rgb: Buffer, stride: number, x0: number, y0: number, w: number, h: number): Buffer {
  const ySize = w * h;
  const cw = w >> 1;
  const ch = h >> 1;
  const out = Buffer.alloc(ySize + 2 * cw * ch);
  for (let y = 0; y < h; y++) {
    let p = (y + y0) * stride + x0 * 3;
    for (let x = 0; x < w; x++, p += 3) {
      out[y * w + x] = clamp(16 + (65.738 * rgb[p] + 129.057 * rgb[p + 1] + 25.064 * rgb[p + 2]) / 256);
    }
  }
  for (let cy = 0; cy < ch; cy++) {
    for (let cx = 0; cx < cw; cx++) {
      let r = 0, g = 0, b = 0;
      for (let k = 0; k < 4; k++) {
        const p = (y0 + cy * 2 + (k >> 1)) * stride + (x0 + cx * 2 + (k & 1)) * 3;
        r += rgb[p]; g += rgb[p + 1]; b += rgb[p + 2];
      }
      r /= 4; g /= 4; b /= 4;
      out[ySize + cy * cw + cx] = clamp(128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256);
      out[ySize + cw * ch + cy * cw + cx] = clamp(128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256);
    }
  }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
