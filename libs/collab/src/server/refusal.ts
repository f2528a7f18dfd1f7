// A message the collaboration server refuses: Hocuspocus closes the connection with `code` and `reason`
// (a custom WebSocket close code, the reason starting with the AppError code, e.g. "BAD_USER_INPUT: …"), and
// nothing of the message is applied or stored.
import type { ErrorCode } from "@mmatlas/errors";

/** 4413: a message or the document it would make is over a size limit. */
export const CLOSE_TOO_LARGE = 4413;

export class CollabRefusal extends Error {
  readonly reason: string;
  constructor(
    readonly code: number,
    readonly errorCode: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "CollabRefusal";
    this.reason = `${errorCode}: ${message}`;
  }
}

export const tooLarge = (message: string) => new CollabRefusal(CLOSE_TOO_LARGE, "BAD_USER_INPUT", message);
