// Imports a dataset: a folder of images (PNG/JPEG/WebP — WebP decoded by sharp, stored as PNG; subfolder names become `class:<name>` tags, like
// torchvision's ImageFolder) stored as PNG bytes, or a JSONL file of texts (each line a string or
// { "text": ..., "tags": [...] }). Examples are indexed in sorted-path / line order; re-running with the
// same name adds nothing twice (skipDuplicates on (dataset, index)). Bad files are reported by path.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import * as jpeg from "jpeg-js";
import { PNG } from "pngjs";
import sharp from "sharp";
import { AppError } from "@mmatlas/errors";
import type { Dataset, PrismaClient } from "@mmatlas/db";

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_IMAGE_PIXELS = 4096 * 4096;
export const MAX_TEXT_CHARS = 10_000;
const IMAGE_EXT = new Set([".png", ".jpg", ".jpeg", ".webp"]);
const CHUNK = 128;

export interface ImportDatasetOptions {
  name: string;
  description?: string;
}

function listImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (IMAGE_EXT.has(path.extname(entry.name).toLowerCase())) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** PNG bytes for an image file (JPEGs are re-encoded); throws BAD_USER_INPUT naming the file. */
export function imageFileToPng(file: string): Buffer {
  const size = statSync(file).size;
  if (size > MAX_IMAGE_BYTES) throw AppError.badInput(`${file}: ${size} bytes exceeds ${MAX_IMAGE_BYTES}`, "images");
  const bytes = readFileSync(file);
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) {
      const png = PNG.sync.read(bytes);
      if (png.width * png.height > MAX_IMAGE_PIXELS)
        throw new Error(`${png.width}×${png.height} exceeds ${MAX_IMAGE_PIXELS} pixels`);
      return bytes;
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const img = jpeg.decode(bytes, {
        useTArray: true,
        maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
        formatAsRGBA: true,
      });
      const png = new PNG({ width: img.width, height: img.height });
      Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength).copy(png.data);
      return PNG.sync.write(png);
    }
    throw new Error("not a PNG or JPEG file");
  } catch (e) {
    throw AppError.badInput(`${file}: ${(e as Error).message}`, "images");
  }
}

/** PNG bytes of a WebP file (sharp/libwebp, the decoder Pillow uses too; pixels kept exactly, alpha too). */
async function webpFileToPng(file: string): Promise<Buffer> {
  const size = statSync(file).size;
  if (size > MAX_IMAGE_BYTES) throw AppError.badInput(`${file}: ${size} bytes exceeds ${MAX_IMAGE_BYTES}`, "images");
  try {
    return await sharp(readFileSync(file), { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" }).png().toBuffer();
  } catch (e) {
    throw AppError.badInput(`${file}: not a readable WebP image: ${(e as Error).message}`, "images");
  }
}

async function upsertDataset(
  prisma: PrismaClient,
  opts: ImportDatasetOptions,
  modality: "IMAGE" | "TEXT",
): Promise<Dataset> {
  const existing = await prisma.dataset.findUnique({ where: { name: opts.name } });
  if (existing && existing.modality !== modality)
    throw AppError.conflict(`dataset ${opts.name} exists with modality ${existing.modality}`);
  return (
    existing ?? prisma.dataset.create({ data: { name: opts.name, modality, description: opts.description ?? "" } })
  );
}

export async function importImageFolder(
  prisma: PrismaClient,
  dir: string,
  opts: ImportDatasetOptions,
): Promise<{ dataset: Dataset; examples: number }> {
  if (!statSync(dir).isDirectory()) throw AppError.badInput(`${dir} is not a folder`, "path");
  const files = listImages(dir);
  if (!files.length) throw AppError.badInput(`${dir} holds no .png/.jpg/.webp images`, "path");
  const images: { file: string; png: Buffer }[] = []; // validate all before writing
  for (const f of files)
    images.push({
      file: f,
      png: path.extname(f).toLowerCase() === ".webp" ? await webpFileToPng(f) : imageFileToPng(f),
    });
  const dataset = await upsertDataset(prisma, opts, "IMAGE");
  for (let i = 0; i < images.length; i += CHUNK) {
    await prisma.example.createMany({
      skipDuplicates: true,
      data: images.slice(i, i + CHUNK).map(({ file, png }, j) => {
        const rel = path.relative(dir, file);
        const folder = path.dirname(rel);
        return {
          datasetId: dataset.id,
          index: i + j,
          modality: "IMAGE" as const,
          image: new Uint8Array(png),
          tags: folder === "." ? [] : [`class:${folder.split(path.sep).join("/")}`],
          meta: { file: rel },
        };
      }),
    });
  }
  const size = await prisma.example.count({ where: { datasetId: dataset.id } });
  return {
    dataset: await prisma.dataset.update({ where: { id: dataset.id }, data: { size } }),
    examples: images.length,
  };
}

export function parseTextJsonl(text: string): { text: string; tags: string[] }[] {
  const rows: { text: string; tags: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw AppError.badInput(`line ${i + 1}: not valid JSON`, "file");
    }
    const t = typeof v === "string" ? v : (v as { text?: unknown })?.text;
    if (typeof t !== "string" || !t.trim())
      throw AppError.badInput(`line ${i + 1}: expected a string or { "text": ... }`, "file");
    if (t.length > MAX_TEXT_CHARS)
      throw AppError.badInput(`line ${i + 1}: text longer than ${MAX_TEXT_CHARS} characters`, "file");
    const tags = (v as { tags?: unknown })?.tags;
    rows.push({ text: t, tags: Array.isArray(tags) ? tags.filter((x): x is string => typeof x === "string") : [] });
  });
  if (!rows.length) throw AppError.badInput("the JSONL file holds no texts", "file");
  return rows;
}

export async function importTextJsonl(
  prisma: PrismaClient,
  file: string,
  opts: ImportDatasetOptions,
): Promise<{ dataset: Dataset; examples: number }> {
  const rows = parseTextJsonl(readFileSync(file, "utf8"));
  const dataset = await upsertDataset(prisma, opts, "TEXT");
  for (let i = 0; i < rows.length; i += CHUNK) {
    await prisma.example.createMany({
      skipDuplicates: true,
      data: rows.slice(i, i + CHUNK).map((r, j) => ({
        datasetId: dataset.id,
        index: i + j,
        modality: "TEXT" as const,
        text: r.text,
        tags: r.tags,
      })),
    });
  }
  const size = await prisma.example.count({ where: { datasetId: dataset.id } });
  return { dataset: await prisma.dataset.update({ where: { id: dataset.id }, data: { size } }), examples: rows.length };
}
