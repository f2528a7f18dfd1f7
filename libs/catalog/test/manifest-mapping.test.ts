// Mapping manifest vocabulary onto database enums, and where model folders are recorded.
import path from "node:path";
import { saeArchitectureOf } from "../src";
import { hookKindOf, storedDirectory } from "../src/register-model";

it("maps manifest hook kinds", () => {
  expect(hookKindOf("RESID")).toBe("RESID");
  expect(hookKindOf("MLP_POST")).toBe("MLP");
  expect(hookKindOf("mlp")).toBe("MLP");
  expect(hookKindOf("ATTN_PATTERN")).toBe("ATTN_PATTERN");
  expect(() => hookKindOf("EMBED")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
});

it("maps SAELens architectures", () => {
  expect(saeArchitectureOf("standard")).toBe("RELU");
  expect(saeArchitectureOf("topk")).toBe("TOPK");
  expect(saeArchitectureOf("jumprelu")).toBe("JUMPRELU");
  expect(saeArchitectureOf("gated")).toBe("GATED");
  expect(() => saeArchitectureOf("matryoshka")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
});

it("stores folders inside the repository relative to it, others absolute", () => {
  expect(storedDirectory("/repo/libs/model-zoo/assets/m", "/repo")).toBe(path.join("libs", "model-zoo", "assets", "m"));
  expect(storedDirectory("/elsewhere/m", "/repo")).toBe("/elsewhere/m");
});
