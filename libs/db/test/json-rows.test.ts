// Values read back from JSON rows: zone-less timestamps are UTC (as Prisma stores them), explicit zones are
// kept, and NaN / ±Infinity (strings in PostgreSQL's JSON) become numbers again.
import { jsonFloat, utcDate } from "../src/json-rows";

it("reads row_to_json timestamps as UTC and keeps explicit zones", () => {
  expect(utcDate("2026-12-01T21:05:11.123").toISOString()).toBe("2026-12-01T21:05:11.123Z");
  expect(utcDate("2026-12-01T21:05:11").getTime()).toBe(Date.UTC(2026, 11, 1, 21, 5, 11));
  expect(utcDate("2026-12-01T21:05:11.5+02:00").toISOString()).toBe("2026-12-01T19:05:11.500Z");
  expect(utcDate("2026-12-01T21:05:11Z").toISOString()).toBe("2026-12-01T21:05:11.000Z");
});

it("turns JSON float values back into numbers", () => {
  expect(jsonFloat(0.25)).toBe(0.25);
  expect(jsonFloat(null)).toBeNull();
  expect(jsonFloat("NaN")).toBeNaN();
  expect(jsonFloat("Infinity")).toBe(Infinity);
  expect(jsonFloat("-Infinity")).toBe(-Infinity);
});
