// Scalars used by the schema: ISO date-times and free-form JSON (from graphql-scalars).
export { GraphQLDateTimeISO as DateTime, GraphQLJSON as JSON } from "graphql-scalars";
