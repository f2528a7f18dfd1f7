// GraphQL types of label explanation scores (LabelScore rows) and a unit's best label.
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "../scalars";

export const UnitSort = {
  CATALOG: "CATALOG",
  BEST_SCORE_DESC: "BEST_SCORE_DESC",
  BEST_SCORE_ASC: "BEST_SCORE_ASC",
} as const;
registerEnumType(UnitSort, {
  name: "UnitSort",
  description:
    "CATALOG: hook point, index; BEST_SCORE_*: scored units by their best label score (not combinable with search)",
});

export const QueueOrder = { CATALOG: "CATALOG", LOW_SCORE_FIRST: "LOW_SCORE_FIRST" } as const;
registerEnumType(QueueOrder, {
  name: "QueueOrder",
  description: "CATALOG: hook point, index; LOW_SCORE_FIRST: lowest best label score first, unscored units last",
});

@ObjectType("LabelScore", {
  description:
    "How well a label explains its unit, measured on held-out examples of the atlas's dataset (docs/architecture.md, Label scores)",
})
export class LabelScoreType {
  @Field(() => ID) id!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => String, { description: "the label as scored" }) label!: string;
  @Field(() => String, { description: "the text fed to the model's text tower" }) prompt!: string;
  @Field(() => [String], { description: "auto:<method> and annotation:<id> labels with this text" }) sources!: string[];
  @Field(() => String) method!: string;
  @Field(() => Int) version!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "detection: AUROC of the model's label–example similarity separating activating from non-activating held-out examples (0.5 = chance)",
  })
  detectionAuroc!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "detection: balanced accuracy at the best similarity threshold (in-sample, ≥ 0.5)",
  })
  balancedAccuracy!: number | null;
  @Field(() => Int) activatingExamples!: number;
  @Field(() => Int) nonActivatingExamples!: number;
  @Field(() => Int, { description: "held-out examples of the tower (after the build's probe set)" })
  heldOutExamples!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "localization: mean Spearman ρ of the label's patch/token similarity map with the unit's activation map over its top held-out examples",
  })
  localization!: number | null;
  @Field(() => Int) localizationExamples!: number;
  @Field(() => Float, {
    nullable: true,
    description: "AUROC of the unit's activation predicting the label's ground-truth tag (datasets with tags)",
  })
  tagAuroc!: number | null;
  @Field(() => Int, { nullable: true }) tagPositives!: number | null;
  @Field(() => Int, { nullable: true }) tagNegatives!: number | null;
  @Field(() => [String], { description: "why a figure is null" }) notes!: string[];
  @Field(() => DateTime) computedAt!: Date;
}

@ObjectType("BestLabel", {
  description:
    "the unit's best label: highest detection AUROC among auto-labels and proposed/accepted annotations; unscored units fall back to the current annotation label, then the top auto-label",
})
export class BestLabelType {
  @Field(() => String) label!: string;
  @Field(() => String, { description: "score | current | auto" }) basis!: string;
  @Field(() => Float, { nullable: true, description: "its detection AUROC (basis = score)" }) score!: number | null;
}

@InputType("ScoreLabelsInput")
export class ScoreLabelsInput {
  @Field(() => ID, { description: "model id or name" }) modelId!: string;
  @Field(() => [ID], {
    nullable: true,
    description: "units to score (≤ 100 for annotators); omitted: every unit of the model (ADMIN)",
  })
  unitIds?: string[] | null;
}
