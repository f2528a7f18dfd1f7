// Checks a parsed model.json against the ModelManifest contract and lists every problem found.
import { InferenceError } from "../errors";
import type { ModelManifest } from "./types";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const isNum3 = (v: unknown) =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x));

/** Returns the manifest typed, or throws BAD_MANIFEST listing all problems (`source` names the file). */
export function validateManifest(raw: unknown, source = "manifest"): ModelManifest {
  const problems: string[] = [];
  const need = (ok: boolean, msg: string) => {
    if (!ok) problems.push(msg);
  };
  if (!isObj(raw)) throw new InferenceError("BAD_MANIFEST", `${source}: must be a JSON object`);
  for (const k of ["name", "displayName", "architecture"]) need(isStr(raw[k]), `${k} must be a non-empty string`);
  need(["IMAGE_TEXT", "IMAGE", "TEXT"].includes(raw.modality as string), `modality must be IMAGE_TEXT, IMAGE or TEXT`);
  need(isPosInt(raw.embedDim), `embedDim must be a positive integer`);
  if (raw.logitScale !== undefined) need(typeof raw.logitScale === "number", `logitScale must be a number`);

  const towerCommon = (t: Obj, label: string) => {
    for (const k of ["onnx", "input", "output"]) need(isStr(t[k]), `${label}.${k} must be a non-empty string`);
  };
  const wantsImage = raw.modality !== "TEXT";
  const wantsText = raw.modality !== "IMAGE";
  if (raw.image !== undefined || wantsImage) {
    if (!isObj(raw.image)) problems.push(`image tower spec missing (modality ${String(raw.modality)})`);
    else {
      towerCommon(raw.image, "image");
      const p = raw.image.preprocess;
      if (!isObj(p)) problems.push(`image.preprocess must be an object`);
      else {
        need(isPosInt(p.size), `image.preprocess.size must be a positive integer`);
        need(p.layout === "NCHW" || p.layout === "NHWC", `image.preprocess.layout must be NCHW or NHWC`);
        need(isNum3(p.mean), `image.preprocess.mean must be 3 numbers`);
        need(
          isNum3(p.std) && (p.std as number[]).every((s) => s > 0),
          `image.preprocess.std must be 3 positive numbers`,
        );
        need(
          p.resize === undefined || p.resize === "stretch" || p.resize === "clip",
          `image.preprocess.resize must be "stretch" or "clip"`,
        );
        if (p.shortestEdge !== undefined)
          need(
            isPosInt(p.shortestEdge) && (!isPosInt(p.size) || p.shortestEdge >= p.size),
            `image.preprocess.shortestEdge must be an integer ≥ size`,
          );
      }
    }
  }
  if (raw.text !== undefined || wantsText) {
    if (!isObj(raw.text)) problems.push(`text tower spec missing (modality ${String(raw.modality)})`);
    else {
      towerCommon(raw.text, "text");
      need(isPosInt(raw.text.seqLen), `text.seqLen must be a positive integer`);
      if (raw.text.eosInput !== undefined) need(isStr(raw.text.eosInput), `text.eosInput must be a non-empty string`);
      const tk = raw.text.tokenizer;
      if (!isObj(tk) || !isStr(tk.type)) problems.push(`text.tokenizer must be an object with a type`);
      else if (tk.type === "word") {
        const vocab = tk.vocab;
        if (!Array.isArray(vocab) || vocab.length === 0 || !vocab.every(isStr))
          problems.push(`text.tokenizer.vocab must be a non-empty string array`);
        else {
          need(new Set(vocab).size === vocab.length, `text.tokenizer.vocab has duplicate entries`);
          for (const k of ["pad", "unk", "eos"])
            need(isStr(tk[k]) && vocab.includes(tk[k] as string), `text.tokenizer.${k} must be a vocab entry`);
        }
        need(typeof tk.lowercase === "boolean", `text.tokenizer.lowercase must be a boolean`);
      }
    }
  }

  if (!Array.isArray(raw.hookPoints)) problems.push(`hookPoints must be an array`);
  else {
    const seen = new Set<string>();
    raw.hookPoints.forEach((h: unknown, i) => {
      const at = `hookPoints[${i}]`;
      if (!isObj(h)) return problems.push(`${at} must be an object`);
      need(isStr(h.name), `${at}.name must be a non-empty string`);
      if (isStr(h.name)) {
        need(!seen.has(h.name), `${at}.name "${h.name}" is duplicated`);
        seen.add(h.name);
      }
      need(h.tower === "VISION" || h.tower === "TEXT", `${at}.tower must be VISION or TEXT`);
      if (h.tower === "VISION") need(isObj(raw.image), `${at} is on the VISION tower but there is no image tower`);
      if (h.tower === "TEXT") need(isObj(raw.text), `${at} is on the TEXT tower but there is no text tower`);
      need(Number.isInteger(h.layer) && (h.layer as number) >= 0, `${at}.layer must be a non-negative integer`);
      need(isStr(h.kind), `${at}.kind must be a non-empty string`);
      need(isStr(h.tensor), `${at}.tensor must be a non-empty string`);
      need(isPosInt(h.width), `${at}.width must be a positive integer`);
      const shape = h.shape;
      if (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => isPosInt(d) || isStr(d)))
        problems.push(`${at}.shape must list ≥2 dims (positive integers or names)`);
      else {
        need(shape[0] === "batch", `${at}.shape must start with "batch"`);
        need(
          shape.includes(h.width as number),
          `${at}.width ${String(h.width)} does not appear in shape ${JSON.stringify(shape)}`,
        );
      }
    });
  }

  if (raw.saes === undefined) raw.saes = [];
  if (!Array.isArray(raw.saes)) problems.push(`saes must be an array`);
  else {
    const hookNames = new Set(
      Array.isArray(raw.hookPoints) ? raw.hookPoints.map((h) => (isObj(h) ? h.name : undefined)) : [],
    );
    raw.saes.forEach((s: unknown, i) => {
      const at = `saes[${i}]`;
      if (!isObj(s)) return problems.push(`${at} must be an object`);
      need(isStr(s.name), `${at}.name must be a non-empty string`);
      need(isStr(s.path), `${at}.path must be a non-empty string`);
      if (s.hookPoint !== undefined)
        need(isStr(s.hookPoint) && hookNames.has(s.hookPoint), `${at}.hookPoint must name a hook point`);
    });
  }
  if (problems.length)
    throw new InferenceError("BAD_MANIFEST", `${source} is invalid:\n  - ${problems.join("\n  - ")}`);
  return raw as unknown as ModelManifest;
}
