// Bearer secrets: shapes, uniqueness, and SHA-256 storage hashes.
import { createHash } from "node:crypto";
import { secretFromAuthorizationHeader } from "../src";
import { classifySecret, hashSecret, issueApiToken, issueSessionSecret } from "../src/secrets";

it("issues API tokens mma_<prefix>_<secret> whose prefix is part of the secret", () => {
  const t = issueApiToken();
  expect(t.secret).toMatch(/^mma_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  expect(t.secret.slice(4, 12)).toBe(t.prefix);
  expect(classifySecret(t.secret)).toBe("apiToken");
  expect(t.hash).toBe(createHash("sha256").update(t.secret).digest("hex"));
  expect(t.hash).not.toContain(t.secret.slice(13));
});

it("issues session secrets mms_<secret>", () => {
  const s = issueSessionSecret();
  expect(s.secret).toMatch(/^mms_[A-Za-z0-9_-]{43}$/);
  expect(classifySecret(s.secret)).toBe("session");
  expect(s.hash).toBe(hashSecret(s.secret));
});

it("never repeats a secret", () => {
  const seen = new Set(Array.from({ length: 200 }, () => issueApiToken().secret));
  expect(seen.size).toBe(200);
});

it("hashes with SHA-256 hex (known vector)", () => {
  expect(hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

it("classifies malformed secrets as null", () => {
  for (const s of [
    "",
    "mma_",
    "mma_XYZ12345_" + "a".repeat(43),
    "mms_" + "a".repeat(42),
    "Bearer x",
    "mma_0123abcd_" + "a".repeat(44),
  ]) {
    expect(classifySecret(s)).toBeNull();
  }
});

it("extracts the secret from an Authorization header", () => {
  expect(secretFromAuthorizationHeader("Bearer mms_abc")).toBe("mms_abc");
  expect(secretFromAuthorizationHeader("bearer   mma_x  ")).toBe("mma_x");
  expect(secretFromAuthorizationHeader("mma_bare")).toBe("mma_bare");
  expect(secretFromAuthorizationHeader("Basic dXNlcjpwYXNz")).toBeNull();
  expect(secretFromAuthorizationHeader(undefined)).toBeNull();
});
