// Rejects GraphQL requests whose variables or query text contain a NUL character (U+0000): PostgreSQL text
// cannot store it, so without this check such input surfaced as an INTERNAL error from the database driver.
// Answered as BAD_USER_INPUT before any resolver runs.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";

/** true when a value (string, array, plain object, at any depth) holds a NUL character */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v, depth + 1));
}

export function nulGuardPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          if (containsNul(request.variables) || containsNul(request.query)) {
            throw new GraphQLError("input must not contain NUL (\\u0000) characters", {
              extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
