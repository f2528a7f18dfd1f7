// GraphQL documents of the account features: who am I, register/login/logout, API tokens.
import { gql } from "urql";

export type Role = "VIEWER" | "ANNOTATOR" | "REVIEWER" | "ADMIN";
export type TokenScope = "READ" | "ANNOTATE" | "REVIEW" | "ADMIN";
export interface CurrentUser { id: string; displayName: string; role: Role; email: string | null }
export interface ApiTokenRow { id: string; name: string; prefix: string; scopes: TokenScope[]; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revokedAt: string | null }

export const CURRENT_USER_QUERY = gql`query CurrentUser { me { id displayName role email } }`;

export const REGISTER_MUTATION = gql`
  mutation Register($input: RegisterInput!) { register(input: $input) { id displayName role } }
`;

export const LOGIN_MUTATION = gql`
  mutation Login($input: LoginInput!) { login(input: $input) { token expiresAt user { id displayName role email } } }
`;

export const LOGOUT_MUTATION = gql`mutation Logout { logout }`;

const TOKEN_FIELDS = "id name prefix scopes createdAt expiresAt lastUsedAt revokedAt";

export const MY_TOKENS_QUERY = gql`query MyApiTokens { myApiTokens { ${TOKEN_FIELDS} } }`;

export const CREATE_TOKEN_MUTATION = gql`
  mutation CreateApiToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret token { ${TOKEN_FIELDS} } } }
`;

export const REVOKE_TOKEN_MUTATION = gql`mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { ${TOKEN_FIELDS} } }`;
