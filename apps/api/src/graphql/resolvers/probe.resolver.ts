// The live probe and steering queries (transport only; the work is in @mmatlas/probe). Reads: open to the same
// callers as the other catalog reads (anonymous included), and its limits for clients that check uploads first.
import { Arg, Ctx, Extensions, Query, Resolver } from "type-graphql";
import type { FieldCost } from "@mmatlas/query-guard";
import { probe, probeLimits, probeSteer, type ProbeLimits, type ProbeResult, type SteerResult } from "@mmatlas/probe";
import type { ApiContext } from "../../context";
import {
  ProbeInputType,
  ProbeLimitsType,
  ProbeResultType,
  ProbeSteerInputType,
  ProbeSteerResultType,
} from "../types/probe";

@Resolver()
export class ProbeResolver {
  @Query(() => ProbeResultType, {
    description:
      "run an uploaded image or a text through a model: a unit's activation + heatmap and the top units of a layer",
  })
  // a model run (tokenize/decode + ONNX inference): priced like 200 rows, at most 4 per request
  @Extensions({ queryCost: { cost: 200, maxPerRequest: 4 } satisfies FieldCost })
  probe(@Arg("input", () => ProbeInputType) input: ProbeInputType, @Ctx() ctx: ApiContext): Promise<ProbeResult> {
    return probe(ctx.prisma, { ...input });
  }

  @Query(() => ProbeSteerResultType, {
    description:
      "steer a unit on an uploaded image: its direction × strength added at its hook; zero-shot class probabilities and nearest captions before vs after",
  })
  // two model runs (plain + steered) and class/caption read-outs: priced like the probe, at most 4 per request
  @Extensions({ queryCost: { cost: 200, maxPerRequest: 4 } satisfies FieldCost })
  probeSteer(
    @Arg("input", () => ProbeSteerInputType) input: ProbeSteerInputType,
    @Ctx() ctx: ApiContext,
  ): Promise<SteerResult> {
    return probeSteer(ctx.prisma, { ...input });
  }

  @Query(() => ProbeLimitsType, { description: "the probe's image limits and formats (configured on the server)" })
  probeLimits(): ProbeLimits {
    return probeLimits();
  }
}
