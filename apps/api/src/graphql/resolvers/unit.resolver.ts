// Fields of a Unit: its model, hook point and dictionary, statistics, auto-labels, top activations (with
// examples) and the labeling data (annotations, comments), each through a per-request DataLoader.
import { Arg, Ctx, Extensions, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { ExampleSummary, TopActivationWithExample } from "@mmatlas/catalog";
import type { FieldCost } from "@mmatlas/query-guard";
import type { Example, Unit } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import type { ApiContext } from "../../context";
import {
  AutoLabelType,
  DictionaryType,
  ExampleType,
  HookPointType,
  ModelType,
  TopActivationType,
  UnitStatsType,
  UnitType,
} from "../types/catalog";
import { AnnotationType, CommentType } from "../types/labeling";
import { found } from "./catalog.resolver";
import { EXAMPLE_IMAGE_PATH } from "../../http-handler";
import { autoLabelsOf, histogramOf } from "@mmatlas/builder";

const MAX_ACTIVATIONS = 100;

/** a unit's activation row with the unit's model, so the row's tokens come from that model's tokenizer */
type ActivationOfModel = TopActivationWithExample & { modelId: string };
const ofModel = (unit: Unit, rows: TopActivationWithExample[]): ActivationOfModel[] =>
  rows.map((r) => ({ ...r, modelId: unit.modelId }));

function limitOf(limit: number | null | undefined, fallback: number): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_ACTIVATIONS)
    throw AppError.badInput(`limit must be an integer between 1 and ${MAX_ACTIVATIONS}`, "limit");
  return n;
}

@Resolver(() => UnitType)
export class UnitFieldsResolver {
  @FieldResolver(() => ModelType)
  async model(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.catalog.model.load(unit.modelId), "Model", unit.modelId);
  }

  @FieldResolver(() => HookPointType)
  async hookPoint(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.catalog.hookPoint.load(unit.hookPointId), "HookPoint", unit.hookPointId);
  }

  @FieldResolver(() => DictionaryType, { nullable: true })
  dictionary(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return unit.dictionaryId ? ctx.loaders.catalog.dictionary.load(unit.dictionaryId) : null;
  }

  @FieldResolver(() => UnitStatsType)
  stats(@Root() unit: Unit): UnitStatsType {
    return {
      maxActivation: unit.maxActivation,
      density: unit.density,
      multimodalScore: unit.multimodalScore,
      histogram: histogramOf(unit.histogram),
      extra: unit.stats ?? null,
    };
  }

  @FieldResolver(() => [AutoLabelType])
  autoLabels(@Root() unit: Unit): AutoLabelType[] {
    return autoLabelsOf(unit.autoLabels).map((l) => ({ ...l, unitId: unit.id })); // unitId: for AutoLabel.scores
  }

  @FieldResolver(() => [TopActivationType], { description: "strongest examples, by rank (limit ≤ 100, default 20)" })
  @Extensions({ queryCost: { listSize: 20 } satisfies FieldCost }) // without `limit`: 20 rows; with it: `limit` rows
  async topActivations(
    @Root() unit: Unit,
    @Ctx() ctx: ApiContext,
    @Arg("limit", () => Int, { nullable: true }) limit?: number | null,
  ) {
    const n = limitOf(limit, 20);
    return ofModel(unit, (await ctx.loaders.catalog.topActivationsByUnit.load(unit.id)).slice(0, n));
  }

  @FieldResolver(() => [TopActivationType], { description: "examples sampled from activation quantile bands" })
  async quantileActivations(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return ofModel(unit, await ctx.loaders.catalog.quantileActivationsByUnit.load(unit.id));
  }

  @FieldResolver(() => [AnnotationType], { description: "accepted first, then by votes; drafts only for their author" })
  annotations(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.annotationsByUnit.load(unit.id);
  }

  @FieldResolver(() => [CommentType], { description: "all comments on the unit, oldest first" })
  comments(@Root() unit: Unit, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.commentsByUnit.load(unit.id);
  }
}

@Resolver(() => TopActivationType)
export class TopActivationFieldsResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description:
      "a text example's tokens under the unit's model tokenizer, up to and including <eos>: values[i] is the activation on tokens[i] (null for images, or when the model's tokenizer files cannot be read)",
  })
  tokens(@Root() row: ActivationOfModel, @Ctx() ctx: ApiContext): Promise<string[] | null> | null {
    const text = row.example.text;
    if (row.example.modality !== "TEXT" || text == null || !row.modelId) return null;
    return ctx.loaders.catalog.textTokens.load({ modelId: row.modelId, text });
  }
}

@Resolver(() => ExampleType)
export class ExampleFieldsResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "where the image (PNG) is served, relative to the API's origin: /images/examples/<id> (cacheable; pages load it like any image)",
  })
  imageUrl(@Root() example: Example | ExampleSummary): string | null {
    const has = "image" in example ? example.image != null : example.hasImage;
    return has ? `${EXAMPLE_IMAGE_PATH}${encodeURIComponent(example.id)}` : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "the image as a data: URL (PNG); pages should prefer imageUrl",
  })
  @Extensions({ queryCost: { cost: 10 } satisfies FieldCost }) // an image payload: priced like 10 rows
  async imageDataUrl(@Root() example: Example | ExampleSummary, @Ctx() ctx: ApiContext): Promise<string | null> {
    // top-activation rows carry no image bytes (ExampleSummary): read them only when asked for
    const image =
      "image" in example
        ? example.image
        : example.hasImage
          ? await ctx.loaders.catalog.exampleImage.load(example.id)
          : null;
    return image ? `data:image/png;base64,${Buffer.from(image).toString("base64")}` : null;
  }
}
