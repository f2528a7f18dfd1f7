// Graph surgery for interventions: every consumer of hook tensor X reads `X * keep + add` instead,
// where keep and add are new float graph inputs broadcast over batch (and positions).
import { InferenceError } from "../errors";
import { floatValueInfo, node } from "./build-helpers";
import { assertTensorsExist } from "./expose-tensors";
import type { OnnxModel } from "./model";

export interface InterventionPorts {
  /** Graph input multiplying X (1 keeps a unit, 0 ablates it). */
  keepInput: string;
  /** Graph input added after the multiply (steering vector). */
  addInput: string;
  /** Tensor holding the intervened value (what downstream nodes now read). */
  output: string;
}

/** Names of the ports an intervention on `tensor` adds. */
export function interventionPorts(tensor: string): InterventionPorts {
  const safe = tensor.replace(/[^A-Za-z0-9_.]/g, "_");
  return {
    keepInput: `intervention.${safe}.keep`,
    addInput: `intervention.${safe}.add`,
    output: `${tensor}__intervened`,
  };
}

/**
 * Rewrites `model` in place. `portShape` is the shape of keep/add, e.g. [width] for the last axis or
 * [heads, 1, 1] for axis 1 of [B, H, T, T].
 */
export function insertIntervention(
  model: OnnxModel,
  tensor: string,
  portShape: number[],
  label = "model",
): InterventionPorts {
  assertTensorsExist(model, [tensor], label);
  const g = model.graph!;
  const safe = tensor.replace(/[^A-Za-z0-9_.]/g, "_");
  const ports = interventionPorts(tensor);
  const scaled = `${tensor}__kept`;
  const nodes = g.node ?? [];
  let consumers = 0;
  for (const n of nodes) {
    n.input = (n.input ?? []).map((i) => {
      if (i !== tensor) return i;
      consumers++;
      return ports.output;
    });
  }
  if (consumers === 0)
    throw new InferenceError(
      "BAD_INTERVENTION",
      `${label}: tensor "${tensor}" has no consumers; intervening on it changes nothing`,
    );
  // Graph outputs named X keep reporting the original value; read `ports.output` for the intervened one.
  const newNodes = [
    node("Mul", [tensor, ports.keepInput], [scaled], `intervention_mul_${safe}`),
    node("Add", [scaled, ports.addInput], [ports.output], `intervention_add_${safe}`),
  ];
  const producer = nodes.findIndex((n) => (n.output ?? []).includes(tensor));
  g.node =
    producer < 0
      ? [...newNodes, ...nodes]
      : [...nodes.slice(0, producer + 1), ...newNodes, ...nodes.slice(producer + 1)];
  g.input = [...(g.input ?? []), floatValueInfo(ports.keepInput, portShape), floatValueInfo(ports.addInput, portShape)];
  return ports;
}
