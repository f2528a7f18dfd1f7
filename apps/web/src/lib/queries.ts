// GraphQL documents of the home page's model list. Result types are generated from the schema by
// graphql-codegen (apps/web/codegen.ts).
import { graphql } from "../gql";
import type { ModelsQuery } from "../gql/graphql";

export type ModelSummary = ModelsQuery["models"][number];

export const MODELS_QUERY = graphql(`
  query Models {
    models {
      id
      name
      displayName
      description
      modality
      architecture
      hookPoints {
        id
        tower
      }
      dictionaries {
        id
      }
      labelingProgress {
        ...UnitSetProgressFields
      }
    }
  }
`);

export const UNIT_COUNT_QUERY = graphql(`
  query ModelUnitCount($modelId: ID!) {
    units(filter: { modelId: $modelId }, first: 1) {
      totalCount
    }
  }
`);
