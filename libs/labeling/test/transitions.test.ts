// The status workflow table: who may move an annotation from which status to which.
import { ANNOTATION_STATUSES, transitionProblem } from "../src/transitions";

const author = { isAuthor: true, canReview: false };
const reviewer = { isAuthor: false, canReview: true };
const stranger = { isAuthor: false, canReview: false };

it("lets authors move between DRAFT and PROPOSED, and back to DRAFT after rejection", () => {
  expect(transitionProblem("DRAFT", "PROPOSED", author)).toBeNull();
  expect(transitionProblem("PROPOSED", "DRAFT", author)).toBeNull();
  expect(transitionProblem("REJECTED", "DRAFT", author)).toBeNull();
});

it("lets only reviewers accept and reject", () => {
  for (const to of ["ACCEPTED", "REJECTED"] as const) {
    expect(transitionProblem("PROPOSED", to, reviewer)).toBeNull();
    expect(transitionProblem("PROPOSED", to, author)).toMatchObject({ code: "FORBIDDEN" });
    expect(transitionProblem("PROPOSED", to, stranger)).toMatchObject({ code: "FORBIDDEN" });
  }
  expect(transitionProblem("ACCEPTED", "REJECTED", reviewer)).toBeNull();
  expect(transitionProblem("REJECTED", "ACCEPTED", reviewer)).toBeNull();
});

it("refuses moves that skip review or make no sense (BAD_USER_INPUT), whoever asks", () => {
  const both = { isAuthor: true, canReview: true };
  expect(transitionProblem("DRAFT", "ACCEPTED", both)).toMatchObject({ code: "BAD_USER_INPUT" });
  expect(transitionProblem("DRAFT", "REJECTED", both)).toMatchObject({ code: "BAD_USER_INPUT" });
  expect(transitionProblem("ACCEPTED", "DRAFT", both)).toMatchObject({ code: "BAD_USER_INPUT" });
  expect(transitionProblem("PROPOSED", "BOGUS" as never, both)).toMatchObject({ code: "BAD_USER_INPUT" });
});

it("a reviewer cannot withdraw someone else's proposal to DRAFT", () => {
  expect(transitionProblem("PROPOSED", "DRAFT", reviewer)).toMatchObject({ code: "FORBIDDEN" });
});

it("always allows staying in the same status", () => {
  for (const s of ANNOTATION_STATUSES) expect(transitionProblem(s, s, stranger)).toBeNull();
});
