// GraphQL types of a unit's trusted label: the rule's answer with its reason, and every candidate label with
// its votes, raters and detection score side by side (rule: docs/architecture.md, "Trusted label").
import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType("LabelCandidate", {
  description:
    "one candidate label of a unit: an auto-label and/or proposed/accepted annotations with the same label key",
})
export class LabelCandidateType {
  @Field(() => String) label!: string;
  @Field(() => String) labelKey!: string;
  @Field(() => [String], { description: "auto:<method> and annotation" }) sources!: string[];
  @Field(() => Int, { description: "annotators whose newest proposed/accepted label of the unit is this one" })
  raters!: number;
  @Field(() => Int, { description: "net votes over the proposed/accepted annotations with this label" }) votes!: number;
  @Field(() => Boolean, { description: "a reviewer accepted it" }) accepted!: boolean;
  @Field(() => Float, {
    nullable: true,
    description: "its detection AUROC (null: not scored yet); details in LabelScore",
  })
  detectionAuroc!: number | null;
  /** unit id, for LabelCandidate.scores (not a field) */
  unitId?: string;
}

@ObjectType("TrustedLabel", {
  description:
    "the label a reader should trust: 1. accepted by a reviewer; 2. consensus of ≥ 2 annotators (≥ 2/3 share, net votes ≥ 0) with the model's α ≥ 0.667 or detection AUROC ≥ 0.65; 3. best-scored label with detection AUROC ≥ 0.8 and net votes ≥ 0; else none",
})
export class TrustedLabelType {
  @Field(() => String, { nullable: true, description: "null: no label is trusted yet" }) label!: string | null;
  @Field(() => String, { description: "accepted | consensus | score | none" }) source!: string;
  @Field(() => String, { description: "why, in words" }) reason!: string;
  @Field(() => Int, { description: "annotators with a proposed/accepted label" }) raters!: number;
  @Field(() => Float, { nullable: true, description: "share of raters giving the majority label" }) majorityShare!:
    number | null;
  @Field(() => Float, {
    nullable: true,
    description: "Krippendorff's α (nominal) of the unit's model; null when undefined",
  })
  alpha!: number | null;
  @Field(() => [LabelCandidateType], { description: "accepted first, then by raters, votes, score" })
  candidates!: LabelCandidateType[];
}
