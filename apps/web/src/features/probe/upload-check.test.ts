// Upload checks on the probe page: size, type and pixels against the API's limits before sending; the
// API's refusals (413 PAYLOAD_TOO_LARGE, typed errors, no connection) as sentences, never raw transport text.
import {
  acceptAttribute,
  checkProbeFile,
  checkProbePixels,
  DEFAULT_PROBE_LIMITS,
  formatBytes,
  probeErrorMessage,
  uploadHint,
} from "./upload-check";

const limits = { maxImageBytes: 2 * 1024 * 1024, maxImagePixels: 4096 * 4096, imageFormats: ["PNG", "JPEG"] };

test("files over the API's byte limit, of another type, or empty are refused before sending", () => {
  expect(checkProbeFile({ size: 1_270_000, type: "image/png" }, limits)).toBeNull(); // the 1.27 MB PNG
  expect(checkProbeFile({ size: 2 * 1024 * 1024, type: "image/jpeg" }, limits)).toBeNull();
  expect(checkProbeFile({ size: 3 * 1024 * 1024, type: "image/png" }, limits)).toBe(
    "That image is 3 MiB; the probe takes up to 2 MiB.",
  );
  expect(checkProbeFile({ size: 1000, type: "image/gif" }, limits)).toBe(
    "Choose a PNG or JPEG image (this file is image/gif).",
  );
  expect(checkProbeFile({ size: 1000, type: "" }, limits)).toBeNull(); // unknown extension: the API sniffs the bytes
  expect(checkProbeFile({ size: 0, type: "image/png" }, limits)).toBe("That file is empty.");
  // the limit is the API's, not a constant of the page
  expect(checkProbeFile({ size: 600_000, type: "image/png" }, { ...limits, maxImageBytes: 512 * 1024 })).toBe(
    "That image is 585.9 KiB; the probe takes up to 512 KiB.",
  );
});

test("pixels, hint and accept attribute follow the limits", () => {
  expect(checkProbePixels(4096, 4096, limits)).toBeNull();
  expect(checkProbePixels(5000, 4000, limits)).toBe(
    "That image is 5000 × 4000 pixels; the probe takes up to 4096 × 4096 pixels.",
  );
  expect(uploadHint(limits)).toBe("PNG or JPEG, up to 2 MiB and 4096 × 4096 pixels.");
  expect(uploadHint({ ...limits, maxImagePixels: 20_000_000 })).toBe("PNG or JPEG, up to 2 MiB and 20.0 megapixels.");
  expect(acceptAttribute(limits)).toBe("image/png,image/jpeg,image/jpg,image/pjpeg");
  expect(DEFAULT_PROBE_LIMITS).toEqual(limits);
  expect(formatBytes(1536)).toBe("1.5 KiB");
});

test("the API's refusals read as sentences, not as raw transport text", () => {
  const tooLarge = {
    message: "[GraphQL] request body is larger than the API accepts (2861740 bytes, 2.7 MiB; API_MAX_BODY_BYTES)",
    graphQLErrors: [
      {
        message: "request body is larger than the API accepts (2861740 bytes, 2.7 MiB; API_MAX_BODY_BYTES)",
        extensions: { code: "PAYLOAD_TOO_LARGE", limit: 2861740 },
      },
    ],
  };
  expect(probeErrorMessage(tooLarge, limits)).toBe(
    "That request is too large for the API. Probe images may be up to 2 MiB.",
  );
  const corrupt = {
    message: "[GraphQL] …",
    graphQLErrors: [
      {
        message: "the image could not be decoded (corrupt or truncated PNG)",
        extensions: { code: "BAD_USER_INPUT", field: "image" },
      },
    ],
  };
  expect(probeErrorMessage(corrupt, limits)).toBe("the image could not be decoded (corrupt or truncated PNG)");
  expect(
    probeErrorMessage(
      { message: "[Network] Failed to fetch", graphQLErrors: [], networkError: new Error("Failed to fetch") },
      limits,
    ),
  ).toBe("Could not reach the API (Failed to fetch). Try again in a moment.");
});
