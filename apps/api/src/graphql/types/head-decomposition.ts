// GraphQL types of the TextSpan head decomposition (HeadDecomposition rows, libs/builder/src/head-decomposition).
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DateTime } from "../scalars";

@ObjectType("HeadSpanText", { description: "a concept text of a head's TextSpan basis, in pick order" })
export class HeadSpanTextType {
  @Field(() => String, { description: "the concept (vocabulary label)" }) text!: string;
  @Field(() => String, { description: "the text embedded by the model's text tower" }) prompt!: string;
  @Field(() => Float, {
    description: "share of the head's output variance (over the sample's images) this pick removed; picks sum to ≤ 1",
  })
  explainedVariance!: number;
}

@ObjectType("HeadAblationEntry", { description: "zero-shot accuracy of one task with the head mean-ablated" })
export class HeadAblationEntryType {
  @Field(() => String, { description: "color / shape (shapes world) or class (ImageFolder classes)" }) task!: string;
  @Field(() => Int, { description: "images with a true class in the task" }) examples!: number;
  @Field(() => Float) before!: number;
  @Field(() => Float) after!: number;
  @Field(() => Float, { description: "after − before" }) delta!: number;
}

@ObjectType("HeadDecomposition", {
  description:
    "TextSpan decomposition of a vision attention head (docs/architecture.md, Head decomposition). available=false " +
    "with a reason when the method cannot run on this unit/model; available with computed=false before a run",
})
export class HeadDecompositionType {
  @Field(() => Boolean) available!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "why unavailable: NOT_A_HEAD, NO_MANIFEST, TEXT_TOWER_HEAD, NO_IMAGE_TOWER, NO_TEXT_TOWER, NO_WEIGHTS, MISSING_WEIGHTS, NO_LAYER_INPUT",
  })
  reasonCode!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Boolean, { description: "a stored result exists" }) computed!: boolean;
  @Field(() => ID, { nullable: true }) unitId!: string | null;
  @Field(() => Int, { nullable: true }) layer!: number | null;
  @Field(() => Int, { nullable: true }) head!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "mean over images of ‖e_head‖² / Σ over every direct term ‖e‖² of the image embedding",
  })
  share!: number | null;
  @Field(() => Int, { nullable: true, description: "1 = largest share among the model's heads" }) rank!: number | null;
  @Field(() => Int, { nullable: true, description: "heads of the model with a result" }) heads!: number | null;
  @Field(() => Float, { nullable: true, description: "mean ‖e_head‖ in the joint space" }) meanNorm!: number | null;
  @Field(() => [HeadSpanTextType]) texts!: HeadSpanTextType[];
  @Field(() => [HeadAblationEntryType]) ablation!: HeadAblationEntryType[];
  @Field(() => Int, { nullable: true }) sampleSize!: number | null;
  @Field(() => ID, { nullable: true }) datasetId!: string | null;
  @Field(() => String, { nullable: true }) datasetName!: string | null;
  @Field(() => ID, { nullable: true }) jobId!: string | null;
  @Field(() => Int, { nullable: true }) version!: number | null;
  @Field(() => DateTime, { nullable: true }) computedAt!: Date | null;
}
