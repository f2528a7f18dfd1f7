// The `annotations` query for scripts (filters + Relay pages ordered by updatedAt, id; rules in
// @mmatlas/labeling) and its totalCount.
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { Connection } from "@mmatlas/catalog";
import type { Annotation } from "@mmatlas/db";
import { countAnnotations, listAnnotations, type AnnotationFilter } from "@mmatlas/labeling";
import type { ApiContext } from "../../context";
import { AnnotationConnectionType, AnnotationFilterInput } from "../types/annotation-query";

type AnnotationConnection = Connection<Annotation> & { filter: AnnotationFilter | null };

@Resolver(() => AnnotationConnectionType)
export class AnnotationQueryResolver {
  @Query(() => AnnotationConnectionType, {
    description:
      "annotations you may see, oldest change first (updatedAt, id): resume with `after` to get only later changes; first ≤ 100",
  })
  async annotations(
    @Ctx() ctx: ApiContext,
    @Arg("filter", () => AnnotationFilterInput, { nullable: true }) filter?: AnnotationFilterInput | null,
    @Arg("first", () => Int, { nullable: true }) first?: number | null,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ): Promise<AnnotationConnection> {
    const f: AnnotationFilter | null = filter ? { ...filter } : null;
    return { ...(await listAnnotations(ctx.prisma, ctx.actor, { filter: f, first, after })), filter: f };
  }

  @FieldResolver(() => Int, { description: "number of annotations matching the filter" })
  totalCount(@Root() conn: AnnotationConnection, @Ctx() ctx: ApiContext): Promise<number> {
    return countAnnotations(ctx.prisma, ctx.actor, conn.filter);
  }
}
