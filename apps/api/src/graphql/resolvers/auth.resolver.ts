// Identity over GraphQL: me, register, login (session token), logout, API tokens, role changes. All rules
// live in @mmatlas/auth; this maps arguments and results.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  can,
  createApiToken,
  getUser,
  listApiTokens,
  login,
  logout,
  registerUser,
  revokeApiToken,
  setUserRole,
  type PublicUser,
} from "@mmatlas/auth";
import type { Role } from "@mmatlas/db";
import type { ApiContext } from "../../context";
import { Role as RoleEnum } from "../enums";
import { ApiTokenType, AuthPayloadType, CreatedApiTokenType, UserType } from "../types/auth";
import { CreateApiTokenInput, LoginInput, RegisterInput } from "../types/inputs";

@Resolver(() => UserType)
export class AuthResolver {
  @Query(() => UserType, { nullable: true, description: "the signed-in user (null when anonymous)" })
  async me(@Ctx() ctx: ApiContext): Promise<PublicUser | null> {
    return ctx.actor ? getUser(ctx.prisma, ctx.actor.userId) : null;
  }

  @Query(() => [ApiTokenType], { description: "your API tokens (revoked ones included), newest first" })
  myApiTokens(@Ctx() ctx: ApiContext) {
    return listApiTokens(ctx.prisma, ctx.actor);
  }

  @FieldResolver(() => String, { nullable: true, description: "visible to the user and to admins" })
  email(@Root() user: PublicUser, @Ctx() ctx: ApiContext): string | null {
    return ctx.actor && (ctx.actor.userId === user.id || can(ctx.actor, "user.list")) ? user.email : null;
  }

  @Mutation(() => UserType, { description: "create an account (the first one becomes ADMIN); then call login" })
  register(@Arg("input", () => RegisterInput) input: RegisterInput, @Ctx() ctx: ApiContext) {
    return registerUser(ctx.prisma, {
      email: input.email,
      password: input.password,
      displayName: input.displayName ?? undefined,
    });
  }

  @Mutation(() => AuthPayloadType)
  async login(@Arg("input", () => LoginInput) input: LoginInput, @Ctx() ctx: ApiContext): Promise<AuthPayloadType> {
    const result = await login(
      ctx.prisma,
      { email: input.email, password: input.password },
      { throttle: ctx.loginThrottle ?? undefined },
    );
    return { token: result.secret, expiresAt: result.expiresAt, user: result.user as UserType };
  }

  @Mutation(() => Boolean, { description: "signs out the session whose token authorized this request" })
  logout(@Ctx() ctx: ApiContext): Promise<boolean> {
    return ctx.secret && ctx.actor?.via === "session" ? logout(ctx.prisma, ctx.secret) : Promise.resolve(false);
  }

  @Mutation(() => CreatedApiTokenType)
  createApiToken(@Arg("input", () => CreateApiTokenInput) input: CreateApiTokenInput, @Ctx() ctx: ApiContext) {
    return createApiToken(ctx.prisma, ctx.actor, {
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt ?? null,
    });
  }

  @Mutation(() => ApiTokenType)
  revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: ApiContext) {
    return revokeApiToken(ctx.prisma, ctx.actor, id);
  }

  @Mutation(() => UserType, { description: "admins only" })
  setUserRole(
    @Arg("userId", () => ID) userId: string,
    @Arg("role", () => RoleEnum) role: Role,
    @Ctx() ctx: ApiContext,
  ) {
    return setUserRole(ctx.prisma, ctx.actor, userId, role);
  }
}
