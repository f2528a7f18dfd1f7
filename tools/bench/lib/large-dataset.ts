// The generated dataset of `npm run bench:large`: deterministic 224 px PNG scenes (a tinted gradient background
// with one to three coloured circles, squares, triangles or rings, sometimes stripes) and short captions, written
// as a folder the product imports: images/<index>.png (`atlas import dataset <folder>`) and captions.jsonl
// (`atlas import dataset <file>.jsonl`, { "text", "tags" } per line). Same seed and counts → same bytes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { SeededRng } from "@mmatlas/atlas";

export const IMAGE_SIZE = 224;
const COLORS: Record<string, [number, number, number]> = {
  red: [220, 40, 40],
  green: [40, 170, 60],
  blue: [40, 80, 220],
  yellow: [235, 210, 40],
  purple: [140, 60, 180],
  orange: [240, 140, 30],
  white: [245, 245, 245],
  black: [20, 20, 20],
};
const COLOR_NAMES = Object.keys(COLORS);
const SHAPES = ["circle", "square", "triangle", "ring"] as const;
const PLACES = ["in a field", "on a table", "at night", "in the snow", "by the sea", "on a wall"];

/** mulberry32: small deterministic PRNG in [0, 1). */
function rng(seed: number): () => number {
  const r = new SeededRng(seed);
  return () => r.next();
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

interface Shape {
  kind: (typeof SHAPES)[number];
  color: string;
  cx: number;
  cy: number;
  s: number;
}

function inside(sh: Shape, x: number, y: number): boolean {
  const dx = x - sh.cx,
    dy = y - sh.cy;
  switch (sh.kind) {
    case "circle":
      return dx * dx + dy * dy <= sh.s * sh.s;
    case "square":
      return Math.abs(dx) <= sh.s && Math.abs(dy) <= sh.s;
    case "ring": {
      const d = dx * dx + dy * dy;
      return d <= sh.s * sh.s && d >= 0.45 * sh.s * sh.s;
    }
    case "triangle":
      return dy <= sh.s && dy >= -sh.s && Math.abs(dx) <= (dy + sh.s) / 2;
  }
}

interface Layout {
  bg: string;
  stripes: number;
  shapes: Shape[];
  caption: string;
  tags: string[];
}

/** One scene's layout, caption and tags (no pixels). */
export function layout(index: number, seed = 16): Layout {
  const r = rng(seed * 1_000_003 + index);
  const bg = pick(r, COLOR_NAMES);
  const stripes = r() < 0.3 ? 6 + Math.floor(r() * 20) : 0;
  const shapes: Shape[] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
    kind: pick(r, SHAPES),
    color: pick(
      r,
      COLOR_NAMES.filter((c) => c !== bg),
    ),
    cx: 30 + r() * 164,
    cy: 30 + r() * 164,
    s: 14 + r() * 40,
  }));
  const a = (w: string) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);
  const things = shapes.map((s) => `${a(s.color)} ${s.kind}`);
  const caption = `${things.length > 1 ? `${things.slice(0, -1).join(", ")} and ${things.at(-1)}` : things[0]} on ${a(bg)}${stripes ? " striped" : ""} background ${pick(r, PLACES)}`;
  const tags = [
    ...new Set([...shapes.map((s) => `shape:${s.kind}`), ...shapes.map((s) => `color:${s.color}`), `background:${bg}`]),
  ];
  return { bg, stripes, shapes, caption, tags };
}

/** PNG bytes of a layout: shaded (optionally striped) background, shapes painted in order. */
export function drawScene(l: Layout): Buffer {
  const [br, bgc, bb] = COLORS[l.bg];
  const png = new PNG({ width: IMAGE_SIZE, height: IMAGE_SIZE });
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const shade =
        0.75 + 0.25 * ((x + y) / (2 * IMAGE_SIZE)) - (l.stripes && Math.floor(x / l.stripes) % 2 ? 0.12 : 0);
      let c: [number, number, number] = [br * shade, bgc * shade, bb * shade];
      for (const sh of l.shapes) if (inside(sh, x, y)) c = COLORS[sh.color];
      const o = (y * IMAGE_SIZE + x) * 4;
      png.data[o] = Math.min(255, Math.round(c[0]));
      png.data[o + 1] = Math.min(255, Math.round(c[1]));
      png.data[o + 2] = Math.min(255, Math.round(c[2]));
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/**
 * Writes (or reuses) <dir>/images/*.png for `images` scenes and <dir>/captions.jsonl with `texts` captions (of
 * scenes after the images, so no caption describes an image of the set). Returns the two paths.
 */
export function writeLargeDataset(
  dir: string,
  images: number,
  texts: number,
  seed = 16,
): { imagesDir: string; captionsFile: string } {
  const imagesDir = path.join(dir, "images"),
    captionsFile = path.join(dir, "captions.jsonl"),
    stamp = path.join(dir, "done.json");
  const want = JSON.stringify({ images, texts, seed, size: IMAGE_SIZE, version: 1 });
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return { imagesDir, captionsFile };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(imagesDir, { recursive: true });
  const pad = String(images).length;
  for (let i = 0; i < images; i++) {
    writeFileSync(path.join(imagesDir, `${String(i).padStart(pad, "0")}.png`), drawScene(layout(i, seed)));
  }
  const lines: string[] = [];
  for (let i = 0; i < texts; i++) {
    const s = layout(images + i, seed);
    lines.push(JSON.stringify({ text: s.caption, tags: s.tags }));
  }
  writeFileSync(captionsFile, lines.join("\n") + "\n");
  writeFileSync(stamp, want);
  return { imagesDir, captionsFile };
}
