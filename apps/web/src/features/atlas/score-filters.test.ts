import { scoreBoundFromParam, scoreSortFromParam, unitScoreQuery } from "./score-filters";

it("reads sort and bounds from the URL, ignoring bad values", () => {
  expect([
    scoreSortFromParam("best-desc"),
    scoreSortFromParam("best-asc"),
    scoreSortFromParam("x"),
    scoreSortFromParam(null),
  ]).toEqual(["best-desc", "best-asc", null, null]);
  expect([
    scoreBoundFromParam("0.8"),
    scoreBoundFromParam("1"),
    scoreBoundFromParam("1.5"),
    scoreBoundFromParam("abc"),
    scoreBoundFromParam(""),
    scoreBoundFromParam(null),
  ]).toEqual([0.8, 1, null, null, null, null]);
});

it("builds the units query's sort and bounds", () => {
  expect(unitScoreQuery({ sort: "best-asc", min: 0.5, max: 0.7, search: "" })).toEqual({
    sort: "BEST_SCORE_ASC",
    minBestScore: 0.5,
    maxBestScore: 0.7,
    note: null,
  });
  expect(unitScoreQuery({ sort: null, min: null, max: null, search: "" })).toEqual({
    sort: null,
    minBestScore: null,
    maxBestScore: null,
    note: null,
  });
});

it("turns the score sort off while searching and drops crossed bounds", () => {
  expect(unitScoreQuery({ sort: "best-desc", min: 0.9, max: 0.2, search: "red" })).toEqual({
    sort: null,
    minBestScore: null,
    maxBestScore: null,
    note: "sorting by best score is off while searching; min 0.9 > max 0.2: bounds ignored",
  });
});
