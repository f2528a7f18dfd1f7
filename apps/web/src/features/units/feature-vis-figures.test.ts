import { activationVersusMax } from "./feature-vis-figures";

describe("activationVersusMax", () => {
  it("says how far above or below the dataset max the optimum is", () => {
    expect(activationVersusMax(2.5, 1.25)).toBe("2.50 (2.0× the dataset max 1.25)");
    expect(activationVersusMax(0.5, 2)).toBe("0.50 (below the dataset max 2.00: 0.3×)");
    expect(activationVersusMax(1, null)).toBe("1.00 (no dataset max stored)");
    expect(activationVersusMax(1, 0)).toBe("1.00 (no dataset max stored)");
  });
});
