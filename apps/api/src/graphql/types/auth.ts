// GraphQL object types for identity: public users, sessions (login result) and API tokens.
import { Field, ID, ObjectType } from "type-graphql";
import { Role, TokenScope } from "../enums";
import { DateTime } from "../scalars";

@ObjectType("User")
export class UserType {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => Role) role!: string;
  @Field(() => DateTime) createdAt!: Date;
}

@ObjectType("ApiToken", { description: "an API token as its owner sees it (never the secret)" })
export class ApiTokenType {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "first characters of the secret, to recognize it" }) prefix!: string;
  @Field(() => [TokenScope]) scopes!: string[];
  @Field(() => DateTime) createdAt!: Date;
  @Field(() => DateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => DateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType("CreatedApiToken")
export class CreatedApiTokenType {
  @Field(() => String, { description: "the bearer secret: shown once, store it now" }) secret!: string;
  @Field(() => ApiTokenType) token!: ApiTokenType;
}

@ObjectType("AuthPayload", { description: "a new session: send `token` as `Authorization: Bearer <token>`" })
export class AuthPayloadType {
  @Field(() => String) token!: string;
  @Field(() => DateTime) expiresAt!: Date;
  @Field(() => UserType) user!: UserType;
}
