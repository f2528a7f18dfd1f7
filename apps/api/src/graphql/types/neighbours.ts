// GraphQL types of similar units and unit-set maps (written by the atlas build; libs/catalog unit-neighbours.ts).
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { LabelState } from "../enums";
import { UnitType } from "./catalog";

export const NeighbourKind = {
  DECODER_COSINE: "DECODER_COSINE",
  ACTIVATION_CORRELATION: "ACTIVATION_CORRELATION",
} as const;
registerEnumType(NeighbourKind, {
  name: "NeighbourKind",
  description:
    "DECODER_COSINE: cosine of output directions (an MLP neuron's W_out row, an SAE feature's decoder row); ACTIVATION_CORRELATION: Pearson r of activations over the build's probe set",
});

@ObjectType("UnitNeighbour", { description: "a similar unit of the same unit set" })
export class UnitNeighbourType {
  @Field(() => NeighbourKind) kind!: string;
  @Field(() => Int, { description: "0 = most similar" }) rank!: number;
  @Field(() => Float, { description: "cosine or Pearson r, in [-1, 1]" }) score!: number;
  @Field(() => UnitType) unit!: UnitType;
}

@ObjectType("UnitMapPoint", { description: "a unit's place on its unit set's map" })
export class UnitMapPointType {
  @Field(() => ID) unitId!: string;
  @Field(() => Int) index!: number;
  @Field(() => Float, { description: "0..1" }) x!: number;
  @Field(() => Float, { description: "0..1" }) y!: number;
  @Field(() => LabelState) labelState!: string;
  @Field(() => String, { nullable: true, description: "the current label, else the top auto-label" }) label!:
    string | null;
  @Field(() => String, { nullable: true }) topAutoLabel!: string | null;
  @Field(() => Float, { nullable: true, description: "the score the auto-labeller gave the top auto-label" })
  autoLabelScore!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "detection AUROC of the unit's best-scored label; null while none is scored",
  })
  bestLabelScore!: number | null;
}

@ObjectType("UnitMap", {
  description: "2D map of a unit set: seeded UMAP of its nearest-neighbour graph, coordinates in [0, 1]",
})
export class UnitMapType {
  @Field(() => NeighbourKind, { description: "the neighbour graph the layout came from" }) source!: string;
  @Field(() => [UnitMapPointType], { description: "one per unit with neighbours, by index" })
  points!: UnitMapPointType[];
}
