// Similar units (Unit.neighbours) and unit-set maps (HookPoint.map for its neurons, Dictionary.map for its SAE
// features, unitMap(hookPointId, dictionaryId) for either): transport over @mmatlas/catalog's reads.
import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { MAX_NEIGHBOURS, unitSetMap, type NeighbourKind as NeighbourKindName } from "@mmatlas/catalog";
import type { Dictionary, HookPoint, Unit } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { FieldCost } from "@mmatlas/query-guard";
import type { ApiContext } from "../../context";
import { DictionaryType, HookPointType, UnitType } from "../types/catalog";
import { NeighbourKind, UnitMapType, UnitNeighbourType } from "../types/neighbours";

/** a map is one query of up to a unit set's size of flat rows */
const MAP_COST: FieldCost = { cost: 50, maxPerRequest: 16 };

@Resolver(() => UnitType)
export class UnitNeighboursResolver {
  @FieldResolver(() => [UnitNeighbourType], {
    description: `the most similar units of the same unit set, most similar first (first ≤ ${MAX_NEIGHBOURS}, default ${MAX_NEIGHBOURS}); empty for heads and before a build stored them`,
  })
  async neighbours(
    @Root() unit: Unit,
    @Ctx() ctx: ApiContext,
    @Arg("kind", () => NeighbourKind) kind: NeighbourKindName,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
  ): Promise<UnitNeighbourType[]> {
    const n = first ?? MAX_NEIGHBOURS;
    if (!Number.isInteger(n) || n < 1 || n > MAX_NEIGHBOURS)
      throw AppError.badInput(`first must be an integer between 1 and ${MAX_NEIGHBOURS}`, "first");
    const rows = await ctx.loaders.catalog.neighbours.load(`${kind}:${unit.id}`);
    return rows.slice(0, n) as unknown as UnitNeighbourType[];
  }
}

@Resolver(() => HookPointType)
export class HookPointMapResolver {
  @FieldResolver(() => UnitMapType, {
    nullable: true,
    description: "2D map of the hook point's neurons; null for attention hooks and before a build",
  })
  @Extensions({ queryCost: MAP_COST })
  map(@Root() hook: HookPoint, @Ctx() ctx: ApiContext) {
    return unitSetMap(ctx.prisma, { hookPointId: hook.id, dictionaryId: null, kind: "NEURON" });
  }
}

@Resolver(() => DictionaryType)
export class DictionaryMapResolver {
  @FieldResolver(() => UnitMapType, {
    nullable: true,
    description: "2D map of the SAE's features; null before a build",
  })
  @Extensions({ queryCost: MAP_COST })
  map(@Root() dict: Dictionary, @Ctx() ctx: ApiContext) {
    return unitSetMap(ctx.prisma, { hookPointId: dict.hookPointId, dictionaryId: dict.id, kind: "SAE_FEATURE" });
  }
}

@Resolver()
export class UnitMapQueryResolver {
  @Query(() => UnitMapType, {
    nullable: true,
    description:
      "2D map of a unit set: the hook point's neurons, or with dictionaryId that SAE's features; null when none is stored",
  })
  @Extensions({ queryCost: MAP_COST })
  async unitMap(
    @Ctx() ctx: ApiContext,
    @Arg("hookPointId", () => ID) hookPointId: string,
    @Arg("dictionaryId", () => ID, { nullable: true }) dictionaryId?: string | null,
  ) {
    if (dictionaryId) {
      const dict = await ctx.loaders.catalog.dictionary.load(dictionaryId);
      if (!dict || dict.hookPointId !== hookPointId) throw AppError.notFound("Dictionary", dictionaryId);
      return unitSetMap(ctx.prisma, { hookPointId, dictionaryId, kind: "SAE_FEATURE" });
    }
    if (!(await ctx.loaders.catalog.hookPoint.load(hookPointId))) throw AppError.notFound("HookPoint", hookPointId);
    return unitSetMap(ctx.prisma, { hookPointId, dictionaryId: null, kind: "NEURON" });
  }
}
