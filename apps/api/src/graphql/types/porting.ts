// GraphQL shapes of imports and removals done by admins: importSae / importModel inputs (a folder inside the
// server's import roots) and what they report, and the result of removing a dictionary or a model.
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { DictionaryType, ModelType } from "./catalog";

@InputType("ImportSaeInput")
export class ImportSaeInput {
  @Field(() => String, {
    description:
      "SAELens folder (cfg.json + sae_weights.safetensors), relative to the first import root or absolute inside one (IMPORT_ROOTS)",
  })
  folder!: string;
  @Field(() => String, { description: "model name or id" }) model!: string;
  @Field(() => String, { nullable: true, description: "hook point name (default: cfg.json metadata.hook_name)" })
  hook?: string | null;
  @Field(() => String, { nullable: true, description: "dictionary name (default: the folder name)" }) name?:
    string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "replace a dictionary of the same name; its units and their labels are removed",
  })
  replace?: boolean | null;
}

@InputType("ImportModelInput")
export class ImportModelInput {
  @Field(() => String, {
    description:
      "model folder: a Hugging Face / Optimum CLIP export as it is, or model.json + ONNX; relative to the first import root or absolute inside one (IMPORT_ROOTS)",
  })
  folder!: string;
  @Field(() => String, {
    nullable: true,
    description: "model name for a Hugging Face export (default: the folder name)",
  })
  name?: string | null;
  @Field(() => Boolean, { nullable: true, description: "Hugging Face export: use onnx/*_quantized.onnx (= dtype q8)" })
  quantized?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description:
      "Hugging Face export: which ONNX files, by transformers.js dtype: fp32 (default), fp16 (widened to float32), q8 (*_quantized.onnx), int8, uint8, q4, q4f16 (4-bit MatMulNBits)",
  })
  dtype?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "replace a model of the same name; its units and their labels are removed",
  })
  replace?: boolean | null;
}

@ObjectType("ImportSaeResult")
export class ImportSaeResultType {
  @Field(() => DictionaryType) dictionary!: DictionaryType;
  @Field(() => Boolean, { description: "true when an existing dictionary was replaced" }) replaced!: boolean;
  @Field(() => Int, { description: "units of the replaced dictionary that were removed" }) removedUnits!: number;
  @Field(() => Int, { description: "annotations on those units that were removed" }) removedAnnotations!: number;
}

@ObjectType("ImportModelResult")
export class ImportModelResultType {
  @Field(() => ModelType) model!: ModelType;
  @Field(() => Int) hookPoints!: number;
  @Field(() => Int) dictionaries!: number;
  @Field(() => Int, { description: "units of the replaced model that were removed" }) removedUnits!: number;
  @Field(() => Int) removedAnnotations!: number;
  @Field(() => [String], {
    description:
      "what a Hugging Face export's import found besides its hook points, one line each: its weights (weights: ...) and, for half-precision graphs, the widening (precision: ...); empty for a model.json folder",
  })
  notes!: string[];
}

@ObjectType("RemoveResult")
export class RemoveResultType {
  @Field(() => String, { description: "dictionary or model" }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) units!: number;
  @Field(() => Int) annotations!: number;
  @Field(() => Int) dictionaries!: number;
  @Field(() => Int, { description: "folders deleted from DATA_DIR" }) deletedFolders!: number;
}
