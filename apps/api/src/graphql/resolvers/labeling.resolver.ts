// Collaborative labeling over GraphQL: annotation mutations, votes, comments, the annotationChanged
// subscription, and the relation fields of annotations, comments and change events. Rules live in
// @mmatlas/labeling; every successful mutation publishes an AnnotationChangedEvent.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Annotation, Comment } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { getUnit } from "@mmatlas/catalog";
import {
  addComment,
  annotationChangedEvent,
  annotationChangedTopic,
  castVote,
  createAnnotation,
  getAnnotation,
  updateAnnotation,
  type AnnotationChangedEvent,
  type AnnotationChangeKind,
} from "@mmatlas/labeling";
import type { ApiContext } from "../../context";
import { UnitType } from "../types/catalog";
import { UserType } from "../types/auth";
import { AddCommentInput, CreateAnnotationInput, UpdateAnnotationInput } from "../types/inputs";
import { AnnotationChangeType, AnnotationRevisionType, AnnotationType, CommentType } from "../types/labeling";
import { found } from "./catalog.resolver";

async function publish(ctx: ApiContext, kind: AnnotationChangeKind, annotation: Annotation | null, comment?: Comment) {
  const unitId = annotation?.unitId ?? comment!.unitId;
  await ctx.pubsub.publish(
    annotationChangedTopic(unitId),
    annotationChangedEvent({ unitId, kind, actorId: ctx.actor!.userId, annotation, comment }),
  );
}

/** Async iterator over `source` keeping only items that pass `keep`; return() unsubscribes the source. */
function filtered<T>(source: AsyncIterableIterator<T>, keep: (item: T) => boolean): AsyncIterableIterator<T> {
  const it: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const r = await source.next();
        if (r.done || keep(r.value)) return r;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ value: undefined, done: true }),
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

@Resolver()
export class LabelingResolver {
  @Query(() => AnnotationType)
  annotation(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext) {
    return getAnnotation(ctx.prisma, ctx.actor, id);
  }

  @Mutation(() => AnnotationType)
  async createAnnotation(
    @Arg("input", () => CreateAnnotationInput) input: CreateAnnotationInput,
    @Ctx() ctx: ApiContext,
  ) {
    const created = await createAnnotation(ctx.prisma, ctx.actor, { ...input });
    await publish(ctx, "CREATED", created);
    return created;
  }

  @Mutation(() => AnnotationType, {
    description: "edit and/or change status; fails with CONFLICT when `version` is stale",
  })
  async updateAnnotation(
    @Arg("input", () => UpdateAnnotationInput) input: UpdateAnnotationInput,
    @Ctx() ctx: ApiContext,
  ) {
    const updated = await updateAnnotation(ctx.prisma, ctx.actor, { ...input });
    if (updated.version !== input.version) await publish(ctx, "UPDATED", updated);
    return updated;
  }

  @Mutation(() => AnnotationType, { description: "+1 or -1; voting the same value again removes your vote" })
  async vote(
    @Arg("annotationId", () => ID) annotationId: string,
    @Arg("value", () => Int) value: number,
    @Ctx() ctx: ApiContext,
  ) {
    const { annotation, myVote } = await castVote(ctx.prisma, ctx.actor, annotationId, value);
    ctx.loaders.labeling.myVote.clear(annotationId).prime(annotationId, myVote);
    await publish(ctx, "VOTED", annotation);
    return annotation;
  }

  @Mutation(() => CommentType)
  async addComment(@Arg("input", () => AddCommentInput) input: AddCommentInput, @Ctx() ctx: ApiContext) {
    const comment = await addComment(ctx.prisma, ctx.actor, { ...input });
    await publish(ctx, "COMMENTED", null, comment);
    return comment;
  }

  @Subscription(() => AnnotationChangeType, {
    description: "changes to a unit's annotations, votes and comments (others' drafts are not delivered)",
    subscribe: async ({ args, context }) => {
      const ctx = context as ApiContext;
      const unit = await getUnit(ctx.prisma, args.unitId as string);
      const source = ctx.pubsub.subscribe(annotationChangedTopic(unit.id));
      return filtered(source, (e) => !e.isDraft || e.actorId === ctx.actor?.userId);
    },
  })
  annotationChanged(
    @Arg("unitId", () => ID) _unitId: string,
    @Root() event: AnnotationChangedEvent,
    @Ctx() ctx: ApiContext,
  ): AnnotationChangeType {
    ctx.resetLoaders(); // each event is a fresh read
    return { ...event, commentId: event.commentId ?? null, at: new Date(event.at) };
  }
}

@Resolver(() => AnnotationType)
export class AnnotationFieldsResolver {
  @FieldResolver(() => UserType)
  async author(@Root() a: Annotation, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.labeling.user.load(a.authorId), "User", a.authorId);
  }

  @FieldResolver(() => UnitType)
  async unit(@Root() a: Annotation, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.catalog.unit.load(a.unitId), "Unit", a.unitId);
  }

  @FieldResolver(() => Int, { description: "your vote: 1, -1 or 0" })
  myVote(@Root() a: Annotation, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.myVote.load(a.id);
  }

  @FieldResolver(() => [CommentType])
  comments(@Root() a: Annotation, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.commentsByAnnotation.load(a.id);
  }

  @FieldResolver(() => [AnnotationRevisionType], { description: "accepted changes, oldest first" })
  revisions(@Root() a: Annotation, @Ctx() ctx: ApiContext) {
    return ctx.loaders.labeling.revisionsByAnnotation.load(a.id);
  }
}

@Resolver(() => AnnotationRevisionType)
export class AnnotationRevisionFieldsResolver {
  @FieldResolver(() => UserType)
  async editor(@Root() r: { editorId: string }, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.labeling.user.load(r.editorId), "User", r.editorId);
  }
}

@Resolver(() => CommentType)
export class CommentFieldsResolver {
  @FieldResolver(() => UserType)
  async author(@Root() c: Comment, @Ctx() ctx: ApiContext) {
    return found(await ctx.loaders.labeling.user.load(c.authorId), "User", c.authorId);
  }
}

@Resolver(() => AnnotationChangeType)
export class AnnotationChangeFieldsResolver {
  @FieldResolver(() => AnnotationType, {
    nullable: true,
    description: "the annotation as it is now (null if you may not see it)",
  })
  annotation(@Root() e: AnnotationChangeType, @Ctx() ctx: ApiContext) {
    return e.annotationId ? ctx.loaders.labeling.annotation.load(e.annotationId) : null;
  }

  @FieldResolver(() => CommentType, { nullable: true })
  async comment(@Root() e: AnnotationChangeType, @Ctx() ctx: ApiContext) {
    if (!e.commentId) return null;
    const unitComments = await ctx.loaders.labeling.commentsByUnit.load(e.unitId);
    return unitComments.find((c) => c.id === e.commentId) ?? null;
  }

  @FieldResolver(() => UserType)
  async actor(@Root() e: AnnotationChangeType, @Ctx() ctx: ApiContext) {
    const user = await ctx.loaders.labeling.user.load(e.actorId);
    if (!user) throw AppError.notFound("User", e.actorId);
    return user;
  }
}
