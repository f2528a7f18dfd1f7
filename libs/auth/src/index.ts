// Public API of @mmatlas/auth: password hashing, bearer secrets, the role/scope policy, and the account,
// session and API-token services (each takes the PrismaClient to use). Errors are AppErrors (@mmatlas/errors).
export { hashPassword, verifyPassword, needsRehash, validatePassword, DEFAULT_SCRYPT_PARAMS, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, type ScryptParams } from "./password";
export { hashSecret, issueApiToken, issueSessionSecret, classifySecret, API_TOKEN_PREFIX, SESSION_PREFIX, type SecretKind, type IssuedApiToken, type IssuedSession } from "./secrets";
export {
  can, assertCan, canUpdateAnnotation, effectiveLevel, roleLevel, scopeLevel, scopeForRole,
  ROLES, TOKEN_SCOPES, ACTIONS, ACTION_LEVELS, type Action, type Actor, type Level,
} from "./policy";
export { isCommonPassword } from "./common-passwords";
export { normalizeEmail, normalizeDisplayName } from "./validation";
export { registerUser, setUserRole, getUser, toPublicUser, type PublicUser, type RegisterInput } from "./users";
export { login, logout, authenticateSession, SESSION_TTL_MS, LAST_USED_RESOLUTION_MS, type LoginInput, type LoginResult, type LoginThrottle } from "./sessions";
export { createApiToken, listApiTokens, revokeApiToken, authenticateApiToken, toApiTokenInfo, type ApiTokenInfo, type CreateApiTokenInput, type CreatedApiToken } from "./api-tokens";
export { authenticateBearer, secretFromAuthorizationHeader } from "./bearer";
