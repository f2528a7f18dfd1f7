// GraphQL object types for collaborative labeling: annotations, their revisions, votes, comments, and the
// live change event delivered by the annotationChanged subscription.
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { AnnotationChangeKind, AnnotationStatus } from "../enums";
import { DateTime } from "../scalars";

@ObjectType("Annotation", { description: "A human label for a unit; DRAFTs are visible only to their author" })
export class AnnotationType {
  @Field(() => ID) id!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => ID) authorId!: string;
  @Field(() => String) label!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) tags!: string[];
  @Field(() => Float, { nullable: true }) confidence!: number | null;
  @Field(() => AnnotationStatus) status!: string;
  @Field(() => Int, { description: "increases with every change; send it back with updateAnnotation" })
  version!: number;
  @Field(() => Int, { description: "sum of votes" }) voteScore!: number;
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime) updatedAt!: Date;
}

@ObjectType("AnnotationRevision", { description: "a change to an annotation that was or became ACCEPTED" })
export class AnnotationRevisionType {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => ID) editorId!: string;
  @Field(() => String) label!: string;
  @Field(() => String) description!: string;
  @Field(() => [String]) tags!: string[];
  @Field(() => Float, { nullable: true }) confidence!: number | null;
  @Field(() => AnnotationStatus) status!: string;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("Comment", { description: "threaded: parentId points at the comment replied to" })
export class CommentType {
  @Field(() => ID) id!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => ID, { nullable: true }) annotationId!: string | null;
  @Field(() => ID, { nullable: true }) parentId!: string | null;
  @Field(() => ID) authorId!: string;
  @Field(() => String) body!: string;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("AnnotationChange", { description: "something changed on a unit's annotations or comments" })
export class AnnotationChangeType {
  @Field(() => AnnotationChangeKind) kind!: string;
  @Field(() => ID) unitId!: string;
  @Field(() => ID, { nullable: true }) annotationId!: string | null;
  @Field(() => ID, { nullable: true }) commentId!: string | null;
  @Field(() => ID) actorId!: string;
  @Field(() => DateTime) at!: Date;
}
