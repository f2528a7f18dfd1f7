// GraphQL shape of a unit's feature visualization (an input image optimised to maximise the unit; built-in model only).
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTime } from "../scalars";

export const FeatureVisualizationStatus = {
  AVAILABLE: "AVAILABLE",
  NOT_COMPUTED: "NOT_COMPUTED",
  UNAVAILABLE: "UNAVAILABLE",
} as const;
registerEnumType(FeatureVisualizationStatus, {
  name: "FeatureVisualizationStatus",
  description:
    "AVAILABLE: an image is stored; NOT_COMPUTED: the unit can be visualized (visualizeUnit); UNAVAILABLE: it cannot (see reason)",
});

@ObjectType("FeatureVisualization", {
  description:
    "An input image optimised (tfjs gradients, decorrelated DCT parameterisation, jitter, TV + L2, Adam, fixed seed) to maximise the unit (docs/architecture.md, Feature visualization)",
})
export class FeatureVisualizationType {
  @Field(() => ID) unitId!: string;
  @Field(() => FeatureVisualizationStatus) status!: string;
  @Field(() => String, { nullable: true, description: "why UNAVAILABLE (e.g. imported ONNX models have no gradients)" })
  reason!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "IMPORTED_MODEL, TEXT_TOWER, ATTENTION_HEAD, UNSUPPORTED_HOOK or UNSUPPORTED_SAE",
  })
  reasonCode!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "the image as a data: URL (RGB PNG at the model's input size; upscale with pixelated rendering)",
  })
  imageDataUrl!: string | null;
  @Field(() => Int, { nullable: true }) width!: number | null;
  @Field(() => Int, { nullable: true }) height!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "the unit's activation on the image (max over tokens, as the atlas measures an example)",
  })
  activation!: number | null;
  @Field(() => Float, { nullable: true, description: "the same on the seeded start image" })
  startActivation!: number | null;
  @Field(() => Float, { nullable: true, description: "the unit's max activation over its atlas dataset" })
  datasetMax!: number | null;
  @Field(() => Float, { nullable: true, description: "activation / datasetMax (> 1: above the natural maximum)" })
  ratioToDatasetMax!: number | null;
  @Field(() => Int, { nullable: true }) steps!: number | null;
  @Field(() => Int, { nullable: true }) seed!: number | null;
  @Field(() => Int, { nullable: true, description: "version of the method that made the image" }) version!:
    number | null;
  @Field(() => DateTime, { nullable: true }) createdAt!: Date | null;
  @Field(() => ID, { nullable: true, description: "the queued or running job that will (re)compute it" })
  pendingJobId!: string | null;
}
