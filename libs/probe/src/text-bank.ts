// The texts steering is read out against, embedded once by the model's own text tower and cached per model
// runner: class prompts (per prompt list; default the shapes world's "a <color> <shape>" classes) and the
// caption corpus (the distinct TEXT examples of the atlas's datasets, re-read every CAPTION_TTL_MS).
import type { PrismaClient } from "@mmatlas/db";
import { COLORS, SHAPES } from "@mmatlas/model-zoo";
import type { ProbeModelRunner } from "./model-runner";

/** Default zero-shot classes: every color × shape of the shapes world, as a caption ("a red circle"). */
export const DEFAULT_STEER_CLASSES: readonly string[] = COLORS.flatMap((c) => SHAPES.map((s) => `a ${c} ${s}`));
/** Largest caption corpus searched for nearest captions. */
export const MAX_CAPTIONS = 4096;
const CAPTION_TTL_MS = 5 * 60_000;
/** Class prompt lists remembered per runner (least recently used are dropped). */
const MAX_CLASS_LISTS = 32;

export interface CaptionBank {
  texts: string[];
  /** unit-norm embeddings [texts × embedDim] */
  embeds: Float32Array;
}

const classCache = new WeakMap<ProbeModelRunner, Map<string, Promise<Float32Array>>>();
const captionCache = new WeakMap<ProbeModelRunner, { at: number; bank: Promise<CaptionBank> }>();

/** Unit-norm embeddings [prompts × embedDim] of these class prompts. */
export function classEmbeddings(runner: ProbeModelRunner, prompts: readonly string[]): Promise<Float32Array> {
  let cache = classCache.get(runner);
  if (!cache) classCache.set(runner, (cache = new Map()));
  const key = JSON.stringify(prompts);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = runner.embedTexts([...prompts]);
  cache.set(key, made);
  made.catch(() => cache!.delete(key));
  while (cache.size > MAX_CLASS_LISTS) cache.delete(cache.keys().next().value as string);
  return made;
}

/** The caption corpus with its embeddings (empty when no dataset holds text examples). */
export function captionBank(prisma: PrismaClient, runner: ProbeModelRunner): Promise<CaptionBank> {
  const hit = captionCache.get(runner);
  if (hit && Date.now() - hit.at < CAPTION_TTL_MS) return hit.bank;
  const bank = (async () => {
    const rows = await prisma.example.findMany({
      where: { modality: "TEXT", text: { not: null } },
      distinct: ["text"],
      select: { text: true },
      orderBy: { text: "asc" },
      take: MAX_CAPTIONS,
    });
    const texts = rows.map((r) => r.text!).filter((t) => t.trim().length > 0);
    return { texts, embeds: await runner.embedTexts(texts) };
  })();
  captionCache.set(runner, { at: Date.now(), bank });
  bank.catch(() => captionCache.delete(runner));
  return bank;
}
