// The live probe query (transport only; the work is in @mmatlas/probe). A read: open to the same callers as
// the other catalog reads (anonymous included).
import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { probe, type ProbeResult } from "@mmatlas/probe";
import type { ApiContext } from "../../context";
import { ProbeInputType, ProbeResultType } from "../types/probe";

@Resolver()
export class ProbeResolver {
  @Query(() => ProbeResultType, { description: "run an uploaded image or a text through a model: a unit's activation + heatmap and the top units of a layer" })
  probe(@Arg("input", () => ProbeInputType) input: ProbeInputType, @Ctx() ctx: ApiContext): Promise<ProbeResult> {
    return probe(ctx.prisma, { ...input });
  }
}
