// GraphQL types of the live probe: the input (an image or a text, a unit and/or a layer) and the result
// (the unit's activation with its patch/token heatmap, and the top units of the chosen layer).
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { UnitKind } from "../enums";
import { DictionaryType, HookPointType, ModelType, UnitType } from "./catalog";

@InputType("ProbeInput", { description: "exactly one of image / text; a unitId and/or a hookPointId / dictionaryId" })
export class ProbeInputType {
  @Field(() => ID, { description: "model id or name" }) modelId!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "base64 PNG or JPEG (a data: URL with any MIME type is accepted: the format is read from the bytes); at most PROBE_MAX_IMAGE_BYTES decoded (2 MiB by default) and PROBE_MAX_IMAGE_PIXELS pixels (4096² by default): see probeLimits",
  })
  image?: string | null;
  @Field(() => String, { nullable: true, description: "text for the text tower (tokenized by the model's tokenizer)" })
  text?: string | null;
  @Field(() => ID, { nullable: true, description: "unit id or slug: its activation and heatmap are returned" })
  unitId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "hook point id or name whose top units are ranked (default: the unit's)",
  })
  hookPointId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "dictionary (SAE) id or name whose top features are ranked (default: the unit's)",
  })
  dictionaryId?: string | null;
  @Field(() => Int, { nullable: true, description: "number of top units (1..100, default 10)" }) topN?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "also return the logit lens: every residual layer and position read out through ln_final + proj against concept texts (then no unit or layer is needed)",
  })
  logitLens?: boolean | null;
  @Field(() => [String], {
    nullable: true,
    description:
      "concept texts of the logit lens (2..256, each 1..200 characters; default: the shapes world's concept words)",
  })
  lensTexts?: string[] | null;
}

@ObjectType("ProbeUnitActivation", { description: "one unit on the probed input" })
export class ProbeUnitActivationType {
  @Field(() => UnitType) unit!: unknown;
  @Field(() => Float, {
    description:
      "activation: max over positions (heads: largest attention weight from CLS / <eos> to another position)",
  })
  value!: number;
  @Field(() => [Float], {
    description:
      "per patch, row-major gridSize × gridSize (images); per token up to <eos> (texts); heads: attention from CLS / <eos>",
  })
  values!: number[];
  @Field(() => Float, { nullable: true, description: "value at the CLS position (images)" }) clsValue!: number | null;
}

@ObjectType("ProbeTopUnit", { description: "a unit of the chosen layer ranked by its activation on the input" })
export class ProbeTopUnitType {
  @Field(() => UnitKind) kind!: string;
  @Field(() => Int) index!: number;
  @Field(() => Float) value!: number;
  @Field(() => UnitType, {
    nullable: true,
    description: "the atlas row of this unit (null when the atlas has not built it)",
  })
  unit!: unknown;
}

@ObjectType("ProbeLimits", { description: "what the probe accepts (a client can check an upload before sending it)" })
export class ProbeLimitsType {
  @Field(() => Int, {
    description: "largest image in decoded bytes (PROBE_MAX_IMAGE_BYTES); the HTTP body limit admits its base64 text",
  })
  maxImageBytes!: number;
  @Field(() => Int, { description: "largest image in pixels, width × height (PROBE_MAX_IMAGE_PIXELS)" })
  maxImagePixels!: number;
  @Field(() => [String], { description: "image formats the probe decodes, e.g. PNG, JPEG" }) imageFormats!: string[];
}

@ObjectType("ProbeLensCell", { description: "one layer × position of the logit lens: its nearest concept texts" })
export class ProbeLensCellType {
  @Field(() => [String], { description: "the top-3 concept texts, best first" }) texts!: string[];
  @Field(() => [Float], { description: "cosine of the read-out with each text" }) scores!: number[];
}

@ObjectType("ProbeLensLayer")
export class ProbeLensLayerType {
  @Field(() => Int) layer!: number;
  @Field(() => String, { description: "the hook point read (hook_resid_post)" }) hookPoint!: string;
}

@ObjectType("ProbeLogitLens", {
  description:
    "logit lens of the probed input: per residual layer and position, the concept texts nearest to the residual stream read out through the tower's ln_final + proj",
})
export class ProbeLogitLensType {
  @Field(() => Boolean) available!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "why not available: NO_WEIGHTS_FILE, NO_READOUT_WEIGHTS, BAD_READOUT_WEIGHTS, NO_TEXT_TOWER or NO_RESIDUAL_HOOKS",
  })
  reason!: string | null;
  @Field(() => String, { nullable: true, description: "readable explanation when not available" }) message!:
    string | null;
  @Field(() => String, { description: "VISION or TEXT" }) tower!: string;
  @Field(() => [ProbeLensLayerType], { description: "rows of cells, by layer; the last is the model's own read-out" })
  layers!: unknown[];
  @Field(() => Int, { nullable: true, description: "patch rows of the image (null for texts)" }) gridRows!:
    number | null;
  @Field(() => Int, { nullable: true, description: "patch columns of the image (null for texts)" }) gridCols!:
    number | null;
  @Field(() => Int, { description: "positions before the patches (CLS: 1; texts: 0)" }) prefix!: number;
  @Field(() => [[ProbeLensCellType]], {
    description: "cells[layer][position]: position 0..prefix-1 = CLS, then patches row-major (texts: tokens)",
  })
  cells!: unknown[][];
  @Field(() => Int, { description: "concept texts ranked" }) conceptCount!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "cosine of the last layer's read-out at CLS / <eos> with the tower's own embedding (≈ 1 when the lens is wired right)",
  })
  embeddingCosine!: number | null;
}

@ObjectType("ProbeResult")
export class ProbeResultType {
  @Field(() => ModelType) model!: unknown;
  @Field(() => String, { description: "IMAGE or TEXT" }) modality!: string;
  @Field(() => Int, { nullable: true, description: "patches per side of the heatmap (images)" }) gridSize!:
    number | null;
  @Field(() => [String], { nullable: true, description: "tokens of the text up to and including <eos> (texts)" })
  tokens!: string[] | null;
  @Field(() => ProbeUnitActivationType, { nullable: true }) unit!: unknown;
  @Field(() => HookPointType, { nullable: true, description: "the layer the top units come from" }) hookPoint!: unknown;
  @Field(() => DictionaryType, { nullable: true, description: "the SAE the top units come from" }) dictionary!: unknown;
  @Field(() => [ProbeTopUnitType]) topUnits!: unknown[];
  @Field(() => ProbeLogitLensType, {
    nullable: true,
    description: "the logit lens (when asked for with logitLens: true)",
  })
  logitLens!: unknown;
  @Field(() => Float, { description: "server-side time of the probe in milliseconds" }) latencyMs!: number;
}

@InputType("ProbeSteerInput", {
  description: "steer one image-tower unit (neuron or SAE feature) on an uploaded image",
})
export class ProbeSteerInputType {
  @Field(() => ID, { description: "model id or name" }) modelId!: string;
  @Field(() => String, {
    description: "base64 PNG or JPEG (data: URL accepted), same limits as probe: see probeLimits",
  })
  image!: string;
  @Field(() => ID, { description: "unit id or slug: a neuron or SAE feature of the image tower" }) unitId!: string;
  @Field(() => Float, {
    description:
      "multiple of the unit's direction added at its hook point, every position (activation units, −1000..1000; 0 = no change)",
  })
  strength!: number;
  @Field(() => [String], {
    nullable: true,
    description: "zero-shot class prompts (2..64; default: every 'a <color> <shape>' of the shapes world)",
  })
  classes?: string[] | null;
  @Field(() => Int, { nullable: true, description: "nearest captions listed before and after (1..20, default 5)" })
  topCaptions?: number | null;
}

@ObjectType("ProbeClassShift", { description: "one zero-shot class: probability before and after steering" })
export class ProbeClassShiftType {
  @Field(() => String, { description: "the class prompt" }) label!: string;
  @Field(() => Float) before!: number;
  @Field(() => Float) after!: number;
  @Field(() => Float, { description: "after − before" }) delta!: number;
}

@ObjectType("ProbeSteerCaption", {
  description: "a caption of the atlas's text examples and its cosine similarity to the image embedding",
})
export class ProbeSteerCaptionType {
  @Field(() => String) text!: string;
  @Field(() => Float) before!: number;
  @Field(() => Float) after!: number;
}

@ObjectType("ProbeSteerResult")
export class ProbeSteerResultType {
  @Field(() => ModelType) model!: unknown;
  @Field(() => UnitType) unit!: unknown;
  @Field(() => HookPointType, { description: "where the direction is added" }) hookPoint!: unknown;
  @Field(() => DictionaryType, { nullable: true }) dictionary!: unknown;
  @Field(() => Float) strength!: number;
  @Field(() => String, {
    description:
      "SAE_DECODER (the feature's decoder row at the SAE's hook) or NEURON_BASIS (+strength on the neuron itself)",
  })
  direction!: string;
  @Field(() => Float, { description: "L2 norm of the direction" }) directionNorm!: number;
  @Field(() => Float, { description: "the unit's activation (max over positions) on the plain image" })
  unitBefore!: number;
  @Field(() => Float, { description: "the unit's activation read through its hook after the edit" }) unitAfter!: number;
  @Field(() => [ProbeClassShiftType], {
    description: "zero-shot class probabilities, in the order of the class prompts",
  })
  classes!: unknown[];
  @Field(() => [ProbeSteerCaptionType], { description: "nearest captions of the plain image" })
  captionsBefore!: unknown[];
  @Field(() => [ProbeSteerCaptionType], { description: "nearest captions of the steered image" })
  captionsAfter!: unknown[];
  @Field(() => Int, { description: "distinct text examples searched" }) captionCount!: number;
  @Field(() => Float, { description: "cosine between the image embedding before and after" }) embeddingCosine!: number;
  @Field(() => Float, { description: "server-side time in milliseconds" }) latencyMs!: number;
}
