// A small PNG decoder for the common case of dataset images: 8-bit RGB or RGBA, not interlaced, no palette or
// transparency chunk. Every chunk's CRC is checked and zlib checks the pixel stream (adler32); anything else
// returns null so the caller falls back to pngjs, which decodes the rest and reports corrupt files. The output is
// pngjs's: row-major RGBA bytes (alpha 255 for RGB). Many times faster than pngjs per small image (no stream and
// parser objects per file), which matters when a build decodes thousands of 32×32 images.
import { crc32, inflateSync } from "node:zlib";
import type { RgbaImage } from "./decode-image";

const SIGNATURE_BYTES = 8;
const MAX_PIXELS = 1 << 26;

export function decodeSimplePng(bytes: Uint8Array): RgbaImage | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = SIGNATURE_BYTES;
  let width = 0,
    height = 0,
    channels = 0;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    const end = at + 8 + length;
    if (end + 4 > bytes.length) return null;
    if (crc32(bytes.subarray(at + 4, end)) !== view.getUint32(end)) return null;
    const data = bytes.subarray(at + 8, end);
    if (type === "IHDR") {
      if (length !== 13) return null;
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = data[8],
        colorType = data[9],
        compression = data[10],
        filter = data[11],
        interlace = data[12];
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || compression !== 0 || filter !== 0 || interlace !== 0)
        return null;
      channels = colorType === 6 ? 4 : 3;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") {
      ended = true;
      break;
    } else if (type === "PLTE" || type === "tRNS") return null;
    at = end + 4;
  }
  if (!ended || channels === 0 || width === 0 || height === 0 || width * height > MAX_PIXELS || idat.length === 0)
    return null;
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat));
  } catch {
    return null;
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) return null;
  const rgba = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride),
    cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    if (!unfilter(filter, row, prev, cur, channels)) return null;
    const o = y * width * 4;
    if (channels === 4) rgba.set(cur, o);
    else
      for (let x = 0, p = 0, q = o; x < width; x++, p += 3, q += 4) {
        rgba[q] = cur[p];
        rgba[q + 1] = cur[p + 1];
        rgba[q + 2] = cur[p + 2];
        rgba[q + 3] = 255;
      }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return { width, height, data: rgba };
}

/** PNG filter types 0–4 (None, Sub, Up, Average, Paeth) of one scanline into `out`; false for an unknown type */
function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, out: Uint8Array, bpp: number): boolean {
  const n = row.length;
  switch (filter) {
    case 0:
      out.set(row);
      return true;
    case 1:
      for (let i = 0; i < n; i++) out[i] = (row[i] + (i >= bpp ? out[i - bpp] : 0)) & 255;
      return true;
    case 2:
      for (let i = 0; i < n; i++) out[i] = (row[i] + prev[i]) & 255;
      return true;
    case 3:
      for (let i = 0; i < n; i++) out[i] = (row[i] + (((i >= bpp ? out[i - bpp] : 0) + prev[i]) >> 1)) & 255;
      return true;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? out[i - bpp] : 0,
          b = prev[i],
          c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        out[i] = (row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return true;
    default:
      return false;
  }
}
