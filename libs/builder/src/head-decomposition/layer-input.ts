// Finds the graph tensor that is the residual stream entering the first transformer block of a tower (the
// embeddings; after ln_pre in HF CLIP): no hook point reads it, but the head decomposition needs it as layer 0's
// input and as the embedding's direct term. Walks back from block 0's hook_resid_post through Add nodes: the
// residual input is the Add operand that is an ancestor of block 0's attention pattern (it feeds ln1 → q, k) while
// the other operand descends from the pattern (the attention output); that Add's output is resid_mid, read to check
// the heads' rebuilt attention output. Built-in model: vision.hook_embed and vision.blocks.{l}.hook_resid_mid.
import type { OnnxModel } from "@mmatlas/inference";

interface GraphIndex {
  producer: Map<string, { op: string; inputs: string[] }>;
  consumers: Map<string, string[][]>;
  initializers: Set<string>;
}

function indexGraph(model: OnnxModel): GraphIndex {
  const g = model.graph!;
  const producer = new Map<string, { op: string; inputs: string[] }>();
  const consumers = new Map<string, string[][]>();
  for (const n of g.node ?? []) {
    const inputs = (n.input ?? []).filter(Boolean) as string[];
    const outputs = (n.output ?? []).filter(Boolean) as string[];
    for (const o of outputs) producer.set(o, { op: n.opType ?? "", inputs });
    for (const i of inputs) consumers.set(i, [...(consumers.get(i) ?? []), outputs]);
  }
  return { producer, consumers, initializers: new Set((g.initializer ?? []).map((t) => t.name!)) };
}

function ancestorsOf(ix: GraphIndex, tensor: string): Set<string> {
  const seen = new Set<string>();
  const stack = [tensor];
  while (stack.length) {
    const t = stack.pop()!;
    for (const i of ix.producer.get(t)?.inputs ?? []) {
      if (seen.has(i)) continue;
      seen.add(i);
      stack.push(i);
    }
  }
  return seen;
}

function descendantsOf(ix: GraphIndex, tensor: string): Set<string> {
  const seen = new Set<string>([tensor]);
  const stack = [tensor];
  while (stack.length) {
    const t = stack.pop()!;
    for (const o of (ix.consumers.get(t) ?? []).flat()) {
      if (seen.has(o)) continue;
      seen.add(o);
      stack.push(o);
    }
  }
  return seen;
}

/** The tensor entering the block whose output is `residPost` and whose attention is `pattern` (blockResidual). */
export function blockInputTensor(model: OnnxModel, residPost: string, pattern: string): string | null {
  return blockResidual(model, residPost, pattern)?.input ?? null;
}

/**
 * The residual stream entering the block whose output is `residPost` and whose attention is `pattern`, and the
 * sum `mid` = input + attention output (resid_mid), or null when the graph does not have the pre-LN residual shape.
 * A pattern tensor nothing reads (a Reshape appended to expose folded heads) is followed back to the tensor it
 * reshapes.
 */
export function blockResidual(
  model: OnnxModel,
  residPost: string,
  pattern: string,
): { input: string; mid: string } | null {
  const ix = indexGraph(model);
  let source = pattern;
  while (!ix.consumers.has(source) && ix.producer.get(source)?.op === "Reshape")
    source = ix.producer.get(source)!.inputs[0];
  const upstream = ancestorsOf(ix, source);
  const downstream = descendantsOf(ix, source);
  const seen = new Set<string>();
  const queue = [residPost];
  while (queue.length) {
    const t = queue.shift()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const p = ix.producer.get(t);
    if (!p || p.op !== "Add" || p.inputs.length !== 2) continue;
    const [a, b] = p.inputs;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ])
      if (upstream.has(x) && !downstream.has(x) && !ix.initializers.has(x) && downstream.has(y))
        return { input: x, mid: t };
    for (const x of p.inputs) if (downstream.has(x)) queue.push(x);
  }
  return null;
}
