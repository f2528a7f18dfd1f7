// GraphQL types of the scripting-oriented annotation listing: its filter and its Relay connection.
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { AnnotationStatus, UnitKind } from "../enums";
import { DateTime } from "../scalars";
import { PageInfoType } from "./connection";
import { AnnotationType } from "./labeling";

@InputType("AnnotationFilter", { description: "all given conditions must hold; others' drafts are never listed" })
export class AnnotationFilterInput {
  @Field(() => ID, { nullable: true, description: "model id or name" }) modelId?: string | null;
  @Field(() => ID, { nullable: true }) hookPointId?: string | null;
  @Field(() => String, { nullable: true, description: "hook point name, e.g. vision.blocks.1.mlp.hook_post" })
  hookName?: string | null;
  @Field(() => ID, { nullable: true }) unitId?: string | null;
  @Field(() => UnitKind, { nullable: true }) unitKind?: UnitKind | null;
  @Field(() => AnnotationStatus, { nullable: true }) status?: AnnotationStatus | null;
  @Field(() => ID, { nullable: true }) authorId?: string | null;
  @Field(() => String, { nullable: true, description: "case-insensitive text in the label (≤ 200 characters)" })
  labelContains?: string | null;
  @Field(() => DateTime, { nullable: true, description: "only annotations changed at or after this time" })
  updatedSince?: Date | null;
}

@ObjectType("AnnotationEdge")
export class AnnotationEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => AnnotationType) node!: AnnotationType;
}

@ObjectType("AnnotationConnection")
export class AnnotationConnectionType {
  @Field(() => [AnnotationEdgeType]) edges!: AnnotationEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}
