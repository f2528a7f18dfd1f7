// Reads an image's format from its first bytes and its width × height from its header (PNG IHDR, JPEG SOFn)
// without decoding, so the probe can name what it was sent (whatever a data: URL claims) and refuse
// decompression bombs (a few KiB of PNG that inflate to gigabytes) before any pixel is allocated.

export interface ImageSize {
  width: number;
  height: number;
}

/** Formats told apart by their magic bytes (the probe decodes only PNG and JPEG; the others are named in refusals). */
export type ImageFormat = "PNG" | "JPEG" | "GIF" | "WebP" | "BMP" | "TIFF" | "AVIF" | "HEIC" | "ICO" | "SVG";

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

/** The format of encoded image bytes, from their signature (not from a file name or MIME type); null if unknown. */
export function imageFormat(b: Uint8Array): ImageFormat | null {
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    ascii(b, 1, 3) === "PNG" &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return "PNG";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "JPEG";
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) return "GIF";
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "WebP";
  if (b.length >= 12 && ascii(b, 4, 4) === "ftyp") {
    const brand = ascii(b, 8, 4);
    if (brand === "avif" || brand === "avis") return "AVIF";
    if (/^(heic|heix|hevc|hevx|mif1|msf1)$/.test(brand)) return "HEIC";
  }
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return "BMP";
  if (
    b.length >= 4 &&
    ((ascii(b, 0, 2) === "II" && b[2] === 42 && b[3] === 0) || (ascii(b, 0, 2) === "MM" && b[2] === 0 && b[3] === 42))
  )
    return "TIFF";
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0) return "ICO";
  const head = ascii(b, 0, Math.min(b.length, 1024));
  if (/^\s*</.test(head) && /<svg[\s>]/i.test(head)) return "SVG";
  return null;
}

/** Width and height of a PNG or JPEG, or null when the header cannot be read. */
export function imageSize(bytes: Uint8Array): ImageSize | null {
  if (
    bytes.length >= 24 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[12] === 0x49 &&
    bytes[13] === 0x48 &&
    bytes[14] === 0x44 &&
    bytes[15] === 0x52
  ) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return null;
}

function jpegSize(b: Uint8Array): ImageSize | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    } // no length
    const len = (b[i + 2] << 8) | b[i + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
    if (len < 2) return null;
    i += 2 + len;
  }
  return null;
}
