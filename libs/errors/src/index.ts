// Public API of @mmatlas/errors: the typed AppError shared by every lib and the API.
export { AppError, ERROR_CODES, isAppError, type ErrorCode, type ErrorDetails } from "./app-error";
