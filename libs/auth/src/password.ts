// Password hashing with scrypt (node:crypto): random salt, cost parameters stored in the hash string
// ("scrypt$N=..,r=..,p=..$<salt>$<key>", base64url), constant-time comparison on verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AppError } from "@mmatlas/errors";
import { isCommonPassword } from "./common-passwords";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 32 MiB of memory per hash (128·N·r bytes), ~0.1 s on one core. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

const derive = (password: string, salt: Buffer, { N, r, p }: ScryptParams, keylen: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
    scrypt(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** Throws BAD_USER_INPUT unless the password has an acceptable length and is not a commonly used password. */
export function validatePassword(password: unknown): asserts password is string {
  if (typeof password !== "string") throw AppError.badInput("password is required", "password");
  if (password.length < PASSWORD_MIN_LENGTH)
    throw AppError.badInput(`password must have at least ${PASSWORD_MIN_LENGTH} characters`, "password");
  if (password.length > PASSWORD_MAX_LENGTH)
    throw AppError.badInput(`password must have at most ${PASSWORD_MAX_LENGTH} characters`, "password");
  if (isCommonPassword(password))
    throw AppError.badInput(
      "this password is too common (found in lists of breached passwords): choose another",
      "password",
    );
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | null {
  const m = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // refuse absurd parameters a tampered row could carry (N must be a power of two)
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(m[4], "base64url");
  const key = Buffer.from(m[5], "base64url");
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches `hash`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when a stored hash uses weaker parameters than `params` (rehash it after a successful login). */
export function needsRehash(hash: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseHash(hash);
  return !parsed || parsed.params.N < params.N || parsed.params.r < params.r || parsed.params.p < params.p;
}
