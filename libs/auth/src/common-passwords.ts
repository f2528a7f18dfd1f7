// Common-password check for new passwords. The list is the "passwords-common" dictionary of
// @zxcvbn-ts/language-common (maintained with zxcvbn-ts; ~49k passwords most often found in breach corpora),
// loaded lazily on first use into a Set. Comparison is case-insensitive after NFKC, so "Password" and
// "PASSWORD" are refused like "password".
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

const canonical = (password: string) => password.normalize("NFKC").toLowerCase();

/** True when `password` (case-insensitively) is one of the commonly used passwords. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map(canonical));
  return common.has(canonical(password));
}
