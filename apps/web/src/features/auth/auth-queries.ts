// GraphQL documents of the account features: who am I, register/login/logout, API tokens. Result types are
// generated from the schema by graphql-codegen (apps/web/codegen.ts); the alias below names the shape the
// components take.
import { graphql } from "../../gql";
import type { CurrentUserQuery } from "../../gql/graphql";

export type { Role, TokenScope } from "../../gql/graphql";
export type CurrentUser = NonNullable<CurrentUserQuery["me"]>;

export const CURRENT_USER_QUERY = graphql(`
  query CurrentUser {
    me {
      id
      displayName
      role
      email
    }
  }
`);

export const REGISTER_MUTATION = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      id
      displayName
      role
    }
  }
`);

export const LOGIN_MUTATION = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      user {
        id
        displayName
        role
        email
      }
    }
  }
`);

export const LOGOUT_MUTATION = graphql(`
  mutation Logout {
    logout
  }
`);

export const API_TOKEN_FIELDS = graphql(`
  fragment ApiTokenFields on ApiToken {
    id
    name
    prefix
    scopes
    createdAt
    expiresAt
    lastUsedAt
    revokedAt
  }
`);

export const MY_TOKENS_QUERY = graphql(`
  query MyApiTokens {
    myApiTokens {
      ...ApiTokenFields
    }
  }
`);

export const CREATE_TOKEN_MUTATION = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      secret
      token {
        ...ApiTokenFields
      }
    }
  }
`);

export const REVOKE_TOKEN_MUTATION = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      ...ApiTokenFields
    }
  }
`);
