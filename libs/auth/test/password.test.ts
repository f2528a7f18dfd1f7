// scrypt password hashes: salted, self-describing, verified in constant time, and matching node's scrypt.
import { scryptSync } from "node:crypto";
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, validatePassword, verifyPassword } from "../src/password";
import { isCommonPassword } from "../src/common-passwords";

const FAST = { N: 1024, r: 8, p: 1 };

it("encodes parameters, salt and key, and the key is scrypt(password, salt)", async () => {
  const hash = await hashPassword("correct horse battery staple", FAST);
  const m = /^scrypt\$N=1024,r=8,p=1\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(hash);
  expect(m).not.toBeNull();
  const salt = Buffer.from(m![1], "base64url");
  expect(salt).toHaveLength(16);
  const expected = scryptSync("correct horse battery staple", salt, 32, { N: 1024, r: 8, p: 1 });
  expect(Buffer.from(m![2], "base64url").equals(expected)).toBe(true);
});

it("salts: the same password hashes differently each time, and both verify", async () => {
  const [a, b] = [await hashPassword("hunter2hunter2", FAST), await hashPassword("hunter2hunter2", FAST)];
  expect(a).not.toBe(b);
  expect(await verifyPassword("hunter2hunter2", a)).toBe(true);
  expect(await verifyPassword("hunter2hunter2", b)).toBe(true);
});

it("rejects wrong passwords, tampered and malformed hashes", async () => {
  const hash = await hashPassword("s3cret-passphrase", FAST);
  expect(await verifyPassword("s3cret-passphrasE", hash)).toBe(false);
  expect(await verifyPassword("", hash)).toBe(false);
  const parts = hash.split("$");
  const flipped = Buffer.from(parts[3], "base64url");
  flipped[0] ^= 1;
  expect(
    await verifyPassword("s3cret-passphrase", [...parts.slice(0, 3), flipped.toString("base64url")].join("$")),
  ).toBe(false);
  expect(await verifyPassword("s3cret-passphrase", hash.replace("N=1024", "N=2048"))).toBe(false);
  expect(await verifyPassword("s3cret-passphrase", "plaintext")).toBe(false);
  expect(await verifyPassword("s3cret-passphrase", hash.replace("N=1024", "N=1000"))).toBe(false); // not a power of two
});

it("uses the default cost unless told otherwise, and flags weaker hashes for rehash", async () => {
  const strong = await hashPassword("default-cost-pass");
  expect(
    strong.startsWith(`scrypt$N=${DEFAULT_SCRYPT_PARAMS.N},r=${DEFAULT_SCRYPT_PARAMS.r},p=${DEFAULT_SCRYPT_PARAMS.p}$`),
  ).toBe(true);
  expect(await verifyPassword("default-cost-pass", strong)).toBe(true);
  expect(needsRehash(strong)).toBe(false);
  expect(needsRehash(await hashPassword("x".repeat(8), FAST))).toBe(true);
  expect(needsRehash("garbage")).toBe(true);
});

it("treats Unicode-equivalent passwords alike (NFKC)", async () => {
  const hash = await hashPassword("caf\u00e9-latte-42", FAST);
  expect(await verifyPassword("cafe\u0301-latte-42", hash)).toBe(true);
});

it("validates password length with BAD_USER_INPUT", () => {
  expect(() => validatePassword("short")).toThrow(
    expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "password" } }),
  );
  expect(() => validatePassword("x".repeat(257))).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  expect(() => validatePassword(undefined)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  expect(() => validatePassword("k7#vq9-lantern")).not.toThrow();
});

it("validate: refuses commonly used passwords, whatever their case", () => {
  for (const common of ["password", "PASSWORD", "Password1", "12345678", "iloveyou", "qwertyuiop"]) {
    expect(() => validatePassword(common)).toThrow(
      expect.objectContaining({
        code: "BAD_USER_INPUT",
        details: { field: "password" },
        message: expect.stringMatching(/too common/),
      }),
    );
  }
  expect(isCommonPassword("correct horse battery")).toBe(false);
  expect(isCommonPassword("long-enough-pw")).toBe(false);
});
