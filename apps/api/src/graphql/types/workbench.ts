// GraphQL types of the labeling workbench: per unit-set labeling progress, the labeling queue, and
// inter-annotator agreement (per unit and for a model / hook point).
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { UnitKind } from "../enums";
import { UnitType } from "./catalog";

@ObjectType("UnitSetProgress", { description: "labeling progress of one unit set (hook point × SAE × kind)" })
export class UnitSetProgressType {
  @Field(() => ID) hookPointId!: string;
  @Field(() => ID, { nullable: true }) dictionaryId!: string | null;
  @Field(() => UnitKind) kind!: UnitKind;
  @Field(() => Int) total!: number;
  @Field(() => Int) labeled!: number;
  @Field(() => Int) disputed!: number;
  @Field(() => Int) unlabeled!: number;
}

@InputType("LabelQueueScope", { description: "which units the queue draws from (all when empty)" })
export class LabelQueueScopeInput {
  @Field(() => ID, { nullable: true, description: "model id or name" }) modelId?: string | null;
  @Field(() => ID, { nullable: true }) hookPointId?: string | null;
  @Field(() => ID, { nullable: true }) dictionaryId?: string | null;
  @Field(() => UnitKind, { nullable: true }) kind?: UnitKind | null;
}

@ObjectType("LabelQueueItem")
export class LabelQueueItemType {
  @Field(() => UnitType, { nullable: true, description: "the next unit to label (null when the queue is empty)" })
  unit!: UnitType | null;
  @Field(() => Int, { description: "unlabeled units still open for you (skipped ones excluded)" })
  remainingUnlabeled!: number;
  @Field(() => Int, { description: "disputed units still open for you (skipped ones excluded)" })
  remainingDisputed!: number;
}

@ObjectType("UnitLabelAgreement", {
  description: "agreement of annotators' newest proposed/accepted labels on one unit",
})
export class UnitLabelAgreementType {
  @Field(() => Int) raters!: number;
  @Field(() => String, { nullable: true }) majorityLabel!: string | null;
  @Field(() => Float, { nullable: true }) majorityShare!: number | null;
  @Field(() => Float, { nullable: true, description: "share of agreeing annotator pairs (null with < 2 raters)" })
  pairwiseAgreement!: number | null;
}

@ObjectType("LabelAgreement", { description: "inter-annotator agreement over a model or hook point" })
export class LabelAgreementType {
  @Field(() => Float, {
    nullable: true,
    description: "Krippendorff's α (nominal) over units × annotators; null when undefined",
  })
  alpha!: number | null;
  @Field(() => Int, { description: "units with ≥ 2 raters" }) unitsWithOverlap!: number;
  @Field(() => Int) ratedUnits!: number;
  @Field(() => Int) annotators!: number;
  @Field(() => Float, { nullable: true }) meanPairwiseAgreement!: number | null;
}
