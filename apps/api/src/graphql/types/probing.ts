// GraphQL shapes of linear probing (Model.probing, runProbing): one held-out probe accuracy per hook point (or SAE
// dictionary) × concept family, next to its chance baseline, and the families that were skipped.
import { Field, Float, Int, ObjectType } from "type-graphql";
import { Tower } from "../enums";
import { DateTime } from "../scalars";
import { DatasetType } from "./catalog";
import { JobType } from "./jobs";

@ObjectType("ProbeCell", {
  description: "held-out accuracy of a linear probe of one hook point (or SAE) for one concept family",
})
export class ProbeCellType {
  @Field(() => Tower) tower!: string;
  @Field(() => String, { description: "the hook point probed (for an SAE: the hook it reads)" }) hookName!: string;
  @Field(() => String, { description: "manifest hook kind: RESID or MLP_POST (attention patterns are not probed)" })
  hookKind!: string;
  @Field(() => Int) layer!: number;
  @Field(() => String, {
    nullable: true,
    description: "SAE dictionary whose features were probed; null = the hook itself",
  })
  dictionary!: string | null;
  @Field(() => String, { description: "readout (CLS / EOS position, residual stream) or mean (over positions, MLP)" })
  pooling!: string;
  @Field(() => String, { description: "concept family: color, shape, size, position, word, class, …" }) family!: string;
  @Field(() => Float, { description: "accuracy on the held-out split" }) accuracy!: number;
  @Field(() => Float, { description: "chance baseline: the majority class's share of the held-out split" })
  chance!: number;
  @Field(() => Float) trainAccuracy!: number;
  @Field(() => Int) trainCount!: number;
  @Field(() => Int) testCount!: number;
  @Field(() => [String], { description: "class names of the family" }) classes!: string[];
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("ProbeSkip", { description: "a concept family that was not probed, and why" })
export class ProbeSkipType {
  @Field(() => Tower) tower!: string;
  @Field(() => String) family!: string;
  @Field(() => String, { description: "ONE_CLASS or TOO_FEW_EXAMPLES" }) reason!: string;
  @Field(() => Int, { description: "examples with a label in the family" }) labelled!: number;
  @Field(() => Int) classes!: number;
  @Field(() => String) message!: string;
}

@ObjectType("ModelProbing", { description: "a model's stored linear probes on one dataset (layer × concept family)" })
export class ModelProbingType {
  @Field(() => DatasetType, { nullable: true, description: "the dataset probed (null: never probed)" })
  dataset!: DatasetType | null;
  @Field(() => [ProbeCellType], { description: "tower → layer → hook → SAE → family order" })
  cells!: ProbeCellType[];
  @Field(() => [ProbeSkipType]) skipped!: ProbeSkipType[];
  @Field(() => [DatasetType], { description: "datasets with stored probes of this model, most recent first" })
  datasets!: DatasetType[];
  @Field(() => JobType, {
    nullable: true,
    description:
      "the probing job to follow: queued / running, else the latest of this dataset (signed-in callers only)",
  })
  job!: JobType | null;
}
