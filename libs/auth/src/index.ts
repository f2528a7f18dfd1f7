// Public API of @mmatlas/auth: password hashing, bearer secrets, the role/scope policy, and the account,
// session and API-token services (each takes the PrismaClient to use). Errors are AppErrors (@mmatlas/errors).
export { can, assertCan, ACTION_LEVELS, type Action, type Actor } from "./policy";
export { registerUser, setUserRole, getUser, toPublicUser, type PublicUser, type RegisterInput } from "./users";
export { login, logout, authenticateSession, type LoginInput, type LoginResult, type LoginThrottle } from "./sessions";
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
  type CreateApiTokenInput,
  type CreatedApiToken,
} from "./api-tokens";
export { authenticateBearer, secretFromAuthorizationHeader } from "./bearer";
