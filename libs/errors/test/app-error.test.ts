// AppError keeps a stable code, a client-safe message and structured details.
import { AppError, ERROR_CODES, isAppError } from "../src";
import { toAppError } from "../src/app-error";

it("carries code, message and details, and is an Error", () => {
  const e = AppError.badInput("email is not valid", "email");
  expect(e).toBeInstanceOf(Error);
  expect(e).toMatchObject({
    name: "AppError",
    code: "BAD_USER_INPUT",
    message: "email is not valid",
    details: { field: "email" },
  });
  expect(isAppError(e)).toBe(true);
  expect(isAppError(new Error("x"))).toBe(false);
});

it("has one factory per stable code", () => {
  const made = [
    AppError.unauthenticated(),
    AppError.forbidden(),
    AppError.badInput("b"),
    AppError.notFound("Unit", "u1"),
    AppError.conflict("c"),
    AppError.rateLimited("slow down", 30),
    AppError.unavailable("dictionary x cannot run"),
    AppError.internal(new Error("db down")),
  ];
  expect(made.map((e) => e.code)).toEqual([...ERROR_CODES]);
  expect(made[3].message).toBe('Unit "u1" not found');
  expect(made[5].details).toEqual({ retryAfterSeconds: 30 });
});

it("wraps unknown failures as INTERNAL without exposing their message", () => {
  const cause = new Error("password=hunter2 connection refused");
  const wrapped = toAppError(cause);
  expect(wrapped.code).toBe("INTERNAL");
  expect(wrapped.message).toBe("internal error");
  expect(wrapped.cause).toBe(cause);
  const known = AppError.forbidden();
  expect(toAppError(known)).toBe(known);
});
