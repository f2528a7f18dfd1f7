// GraphQL input types (filters and mutation inputs). Values are validated by the libs, not here.
import { Field, Float, ID, InputType, Int } from "type-graphql";
import { AnnotationStatus, LabelState, TokenScope, UnitKind } from "../enums";
import { DateTime } from "../scalars";

@InputType("UnitFilter")
export class UnitFilterInput {
  @Field(() => ID, { nullable: true, description: "model id or name" }) modelId?: string | null;
  @Field(() => ID, { nullable: true }) hookPointId?: string | null;
  @Field(() => String, { nullable: true, description: "hook point name, e.g. vision.blocks.1.mlp.hook_post" })
  hookName?: string | null;
  @Field(() => ID, { nullable: true }) dictionaryId?: string | null;
  @Field(() => UnitKind, { nullable: true }) kind?: UnitKind | null;
  @Field(() => LabelState, { nullable: true }) labelState?: LabelState | null;
  @Field(() => Float, {
    nullable: true,
    description: "best label score (detection AUROC, 0..1) at least; leaves out unscored units",
  })
  minBestScore?: number | null;
  @Field(() => Float, { nullable: true, description: "best label score at most; leaves out unscored units" })
  maxBestScore?: number | null;
  @Field(() => String, {
    nullable: true,
    description:
      'words (≤ 200 characters) that start a run of words in the current label, the top auto-label or a proposed/accepted annotation label; case and punctuation are ignored ("red-blu" finds "Red blue stripes", "lue" does not)',
  })
  search?: string | null;
}

@InputType("RegisterInput")
export class RegisterInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => String, { nullable: true }) displayName?: string | null;
}

@InputType("LoginInput")
export class LoginInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType("CreateApiTokenInput")
export class CreateApiTokenInput {
  @Field(() => String) name!: string;
  @Field(() => [TokenScope]) scopes!: TokenScope[];
  @Field(() => DateTime, { nullable: true }) expiresAt?: Date | null;
}

@InputType("CreateAnnotationInput")
export class CreateAnnotationInput {
  @Field(() => ID) unitId!: string;
  @Field(() => String) label!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => Float, { nullable: true }) confidence?: number | null;
  @Field(() => AnnotationStatus, { nullable: true, description: "DRAFT (default) or PROPOSED" })
  status?: AnnotationStatus | null;
}

@InputType("UpdateAnnotationInput")
export class UpdateAnnotationInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "the version you last saw (optimistic concurrency)" }) version!: number;
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => Float, { nullable: true }) confidence?: number | null;
  @Field(() => AnnotationStatus, { nullable: true }) status?: AnnotationStatus | null;
}

@InputType("AddCommentInput")
export class AddCommentInput {
  @Field(() => ID) unitId!: string;
  @Field(() => String) body!: string;
  @Field(() => ID, { nullable: true }) annotationId?: string | null;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
}
