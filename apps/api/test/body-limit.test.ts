// The body limit follows the probe's image limit: by default large enough for a max-size probe image in
// base64 (never under 1 MiB); an explicit API_MAX_BODY_BYTES or bodyLimit option too small for it is refused.
import {
  bodyLimitFromEnv,
  checkBodyLimit,
  MIN_BODY_LIMIT,
  probeBodyBytes,
  REQUEST_OVERHEAD_BYTES,
} from "../src/body-limit";
import { startApiServer } from "../src/server";

test("a PROBE_MAX_IMAGE_BYTES image in base64, plus the rest of the request, fits the default limit", () => {
  const twoMiB = 2 * 1024 * 1024;
  expect(probeBodyBytes(twoMiB)).toBe(4 * Math.ceil(twoMiB / 3) + REQUEST_OVERHEAD_BYTES);
  expect(bodyLimitFromEnv({})).toBe(probeBodyBytes(twoMiB)); // 2 861 740 bytes, not the 1 MiB that made 2 MiB unreachable
  expect(bodyLimitFromEnv({ PROBE_MAX_IMAGE_BYTES: String(8 * 1024 * 1024) })).toBe(probeBodyBytes(8 * 1024 * 1024));
  expect(bodyLimitFromEnv({ PROBE_MAX_IMAGE_BYTES: "1000" })).toBe(MIN_BODY_LIMIT);
  for (const n of [1, 2, 3, 1000, 1001, twoMiB])
    // base64 of n bytes is exactly 4·ceil(n/3) characters
    expect(probeBodyBytes(n) - REQUEST_OVERHEAD_BYTES).toBe(Buffer.alloc(n).toString("base64").length);
});

test("API_MAX_BODY_BYTES sets the limit, and is refused when a max-size probe image could not fit", () => {
  expect(bodyLimitFromEnv({ API_MAX_BODY_BYTES: "10000000" })).toBe(10_000_000);
  expect(bodyLimitFromEnv({ API_MAX_BODY_BYTES: "500000", PROBE_MAX_IMAGE_BYTES: "300000" })).toBe(500_000);
  expect(() => bodyLimitFromEnv({ API_MAX_BODY_BYTES: "1048576" })).toThrow(
    "API_MAX_BODY_BYTES (1048576 bytes) cannot carry a probe image of PROBE_MAX_IMAGE_BYTES=2097152 bytes (2 MiB): its base64 request needs 2861740 bytes. Raise the body limit or lower PROBE_MAX_IMAGE_BYTES.",
  );
  expect(() => bodyLimitFromEnv({ API_MAX_BODY_BYTES: "lots" })).toThrow(
    /API_MAX_BODY_BYTES must be a positive integer/,
  );
  expect(() => checkBodyLimit(-1, 10)).toThrow(/positive integer/);
});

test("startApiServer refuses a bodyLimit option that cannot carry a max-size probe image", async () => {
  await expect(startApiServer({ port: 0, bodyLimit: 1024 * 1024, jobRunner: "none" })).rejects.toThrow(
    /the bodyLimit option \(1048576 bytes\) cannot carry a probe image/,
  );
});
