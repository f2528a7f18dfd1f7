// Catalog queries (models, datasets, units as a Relay connection, one unit) and the relation fields of
// models, hook points and dictionaries, resolved through the request's DataLoaders.
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { assertCan } from "@mmatlas/auth";
import {
  countUnits,
  getDataset,
  getModel,
  getUnit,
  imageGridSize,
  listDatasets,
  listModels,
  listUnits,
  type Connection,
  type UnitFilter,
} from "@mmatlas/catalog";
import type { Dictionary, HookPoint, Model, Unit } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { ApiContext } from "../../context";
import { DictionaryBuildStatus } from "../enums";
import { DateTime } from "../scalars";
import { JobType } from "../types/jobs";
import { DatasetType, DictionaryType, HookPointType, ModelType, UnitType } from "../types/catalog";
import { UnitConnectionType } from "../types/connection";
import { UnitFilterInput } from "../types/inputs";
import { UnitSort } from "../types/label-scores";
import { toJobType } from "./jobs.resolver";

type UnitConnection = Connection<Unit> & { filter: UnitFilter | null };

const found = <T>(row: T | null | undefined, what: string, id: string): T => {
  if (!row) throw AppError.notFound(what, id);
  return row;
};

@Resolver()
export class CatalogQueryResolver {
  @Query(() => [ModelType])
  models(@Ctx() ctx: ApiContext): Promise<Model[]> {
    return listModels(ctx.prisma);
  }

  @Query(() => ModelType, { description: "a model by id or name" })
  model(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Model> {
    return getModel(ctx.prisma, id);
  }

  @Query(() => [DatasetType])
  datasets(@Ctx() ctx: ApiContext) {
    return listDatasets(ctx.prisma);
  }

  @Query(() => DatasetType, { description: "a dataset by id or name" })
  dataset(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext) {
    return getDataset(ctx.prisma, id);
  }

  @Query(() => UnitConnectionType, {
    description:
      "units in a stable order (hook point, index; or by best label score with `sort`), Relay-paginated; first ≤ 100",
  })
  async units(
    @Ctx() ctx: ApiContext,
    @Arg("filter", () => UnitFilterInput, { nullable: true }) filter?: UnitFilterInput | null,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("sort", () => UnitSort, {
      nullable: true,
      description: "CATALOG (default) or scored units by best label score (not with search)",
    })
    sort?: keyof typeof UnitSort | null,
  ): Promise<UnitConnection> {
    const f: UnitFilter | null = filter ? { ...filter } : null;
    return { ...(await listUnits(ctx.prisma, { filter: f, first, after, sort: sort ?? "CATALOG" })), filter: f };
  }

  @Query(() => UnitType, { description: "a unit by id or slug" })
  unit(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Unit> {
    return getUnit(ctx.prisma, id);
  }
}

@Resolver(() => UnitConnectionType)
export class UnitConnectionResolver {
  @FieldResolver(() => Int, { description: "number of units matching the filter (one COUNT query)" })
  totalCount(@Root() conn: UnitConnection, @Ctx() ctx: ApiContext): Promise<number> {
    return countUnits(ctx.prisma, conn.filter);
  }
}

@Resolver(() => ModelType)
export class ModelFieldsResolver {
  @FieldResolver(() => [HookPointType])
  hookPoints(@Root() model: Model, @Ctx() ctx: ApiContext) {
    return ctx.loaders.catalog.hookPointsByModel.load(model.id);
  }

  @FieldResolver(() => [DictionaryType])
  dictionaries(@Root() model: Model, @Ctx() ctx: ApiContext) {
    return ctx.loaders.catalog.dictionariesByModel.load(model.id);
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      "patches per side of the vision tower's grid (e.g. 7 for ViT-B/32 at 224 px); null without an image tower",
  })
  imageGridSize(@Root() model: Model): number | null {
    return imageGridSize(model.config);
  }
}

@Resolver(() => HookPointType)
export class HookPointFieldsResolver {
  @FieldResolver(() => ModelType)
  async model(@Root() hook: HookPoint, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.catalog.model.load(hook.modelId), "Model", hook.modelId);
  }

  @FieldResolver(() => [DictionaryType])
  dictionaries(@Root() hook: HookPoint, @Ctx() ctx: ApiContext) {
    return ctx.loaders.catalog.dictionariesByHookPoint.load(hook.id);
  }
}

@Resolver(() => DictionaryType)
export class DictionaryFieldsResolver {
  @FieldResolver(() => HookPointType)
  async hookPoint(@Root() dict: Dictionary, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.catalog.hookPoint.load(dict.hookPointId), "HookPoint", dict.hookPointId);
  }

  @FieldResolver(() => Int, {
    description: "units (SAE features) stored for this dictionary; 0 until an atlas build includes it",
  })
  async unitCount(@Root() dict: Dictionary, @Ctx() ctx: ApiContext): Promise<number> {
    return (await ctx.loaders.catalog.dictionaryBuild.load(dict)).unitCount;
  }

  @FieldResolver(() => DictionaryBuildStatus, {
    description: "whether its units are built, being built, or not built yet",
  })
  async buildStatus(@Root() dict: Dictionary, @Ctx() ctx: ApiContext): Promise<string> {
    return (await ctx.loaders.catalog.dictionaryBuild.load(dict)).status;
  }

  @FieldResolver(() => DateTime, {
    nullable: true,
    description: "when the latest successful atlas build including it finished",
  })
  async builtAt(@Root() dict: Dictionary, @Ctx() ctx: ApiContext): Promise<Date | null> {
    return (await ctx.loaders.catalog.dictionaryBuild.load(dict)).builtAt;
  }

  @FieldResolver(() => JobType, {
    nullable: true,
    description:
      "the queued or running atlas build including it, else the latest one (follow it with jobProgress); needs a signed-in caller",
  })
  async latestBuildJob(@Root() dict: Dictionary, @Ctx() ctx: ApiContext): Promise<JobType | null> {
    assertCan(ctx.actor, "read");
    const job = (await ctx.loaders.catalog.dictionaryBuild.load(dict)).latestJob;
    return job ? toJobType(job) : null;
  }
}

export { found };
