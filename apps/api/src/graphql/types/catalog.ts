// GraphQL object types for the catalog: models, hook points, dictionaries, datasets, examples, units,
// unit statistics and top activations. Relations are resolved by field resolvers through DataLoaders.
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { ActivationBand, HookKind, LabelState, Modality, SaeArchitecture, Tower, UnitKind } from "../enums";
import { DateTime, JSON } from "../scalars";

@ObjectType("Model", { description: "A vision-language model whose units are in the atlas" })
export class ModelType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String) description!: string;
  @Field(() => Modality) modality!: string;
  @Field(() => String) architecture!: string;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("HookPoint", { description: "A place inside a model whose activations are read (TransformerLens naming)" })
export class HookPointType {
  @Field(() => ID) id!: string;
  @Field(() => ID) modelId!: string;
  @Field(() => String) name!: string;
  @Field(() => Tower) tower!: string;
  @Field(() => Int) layer!: number;
  @Field(() => HookKind) kind!: string;
  @Field(() => Int, { description: "channels: d_model, d_mlp, or heads for attention patterns" }) width!: number;
}

@ObjectType("Dictionary", { description: "A sparse autoencoder trained on one hook point" })
export class DictionaryType {
  @Field(() => ID) id!: string;
  @Field(() => ID) modelId!: string;
  @Field(() => ID) hookPointId!: string;
  @Field(() => String) name!: string;
  @Field(() => SaeArchitecture) architecture!: string;
  @Field(() => Int) dIn!: number;
  @Field(() => Int) dSae!: number;
  @Field(() => JSON, { nullable: true, description: "training report: l0, explainedVariance, deadFraction" })
  metrics!: unknown;
}

@ObjectType("Dataset")
export class DatasetType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => Modality) modality!: string;
  @Field(() => Int) size!: number;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("Example", { description: "An image or a text from a dataset" })
export class ExampleType {
  @Field(() => ID) id!: string;
  @Field(() => ID) datasetId!: string;
  @Field(() => Int) index!: number;
  @Field(() => Modality) modality!: string;
  @Field(() => String, { nullable: true }) text!: string | null;
  @Field(() => [String], { description: "ground-truth concept tags when known" }) tags!: string[];
}

@ObjectType("TopActivation", {
  description: "An example that strongly activates a unit, with per-patch or per-token values",
})
export class TopActivationType {
  @Field(() => ID) id!: string;
  @Field(() => ActivationBand) band!: string;
  @Field(() => Int) bandIndex!: number;
  @Field(() => Int) rank!: number;
  @Field(() => Float) maxValue!: number;
  @Field(() => [Float]) values!: number[];
  @Field(() => ExampleType) example!: ExampleType;
}

@ObjectType("Histogram", {
  description: "log-spaced activation histogram: counts[i] is the mass between edges[i] and edges[i+1]",
})
export class HistogramType {
  @Field(() => [Float]) edges!: number[];
  @Field(() => [Float]) counts!: number[];
}

@ObjectType("AutoLabel", { description: "an automatically computed label candidate" })
export class AutoLabelType {
  @Field(() => String) label!: string;
  @Field(() => Float) score!: number;
  @Field(() => String, { nullable: true }) method!: string | null;
}

@ObjectType("UnitStats")
export class UnitStatsType {
  @Field(() => Float, { nullable: true }) maxActivation!: number | null;
  @Field(() => Float, { nullable: true, description: "fraction of examples/tokens where the unit is > 0" }) density!:
    number | null;
  @Field(() => Float, { nullable: true }) multimodalScore!: number | null;
  @Field(() => HistogramType, { nullable: true }) histogram!: HistogramType | null;
  @Field(() => JSON, { nullable: true, description: "per-kind figures (head stats, causal effects...)" })
  extra!: unknown;
}

@ObjectType("Unit", { description: "An MLP neuron, an SAE feature or an attention head" })
export class UnitType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "stable URL-safe id" }) slug!: string;
  @Field(() => UnitKind) kind!: string;
  @Field(() => Int) index!: number;
  @Field(() => ID) modelId!: string;
  @Field(() => ID) hookPointId!: string;
  @Field(() => ID, { nullable: true }) dictionaryId!: string | null;
  @Field(() => LabelState) labelState!: string;
  @Field(() => String, { nullable: true }) currentLabel!: string | null;
  @Field(() => String, { nullable: true }) topAutoLabel!: string | null;
  @Field(() => DateTime) updatedAt!: Date;
}
