// GraphQL documents of the atlas browser: a model with its hook points, SAEs (with their build state) and
// labeling progress, and filtered unit pages. Result types are generated from the schema by graphql-codegen
// (apps/web/codegen.ts); the aliases below name the rows the components take.
import { graphql } from "../../gql";
import type { AtlasUnitsQuery, ModelAtlasQuery, UnitSetProgressFieldsFragment } from "../../gql/graphql";

type ModelAtlas = ModelAtlasQuery["model"];
export type HookPointRow = ModelAtlas["hookPoints"][number];
export type DictionaryRow = ModelAtlas["dictionaries"][number];
export type ProgressRow = UnitSetProgressFieldsFragment;
export type UnitRow = AtlasUnitsQuery["units"]["edges"][number]["node"];

/** one unit set's labeling progress (model cards on the home page, the atlas browser's sidebar) */
export const UNIT_SET_PROGRESS_FIELDS = graphql(`
  fragment UnitSetProgressFields on UnitSetProgress {
    hookPointId
    dictionaryId
    kind
    total
    labeled
    disputed
    unlabeled
  }
`);

export const MODEL_ATLAS_QUERY = graphql(`
  query ModelAtlas($id: ID!) {
    model(id: $id) {
      id
      name
      displayName
      description
      architecture
      hookPoints {
        id
        name
        tower
        layer
        kind
        width
      }
      dictionaries {
        id
        name
        hookPointId
        architecture
        dSae
        unitCount
        buildStatus
        builtAt
      }
      labelingProgress {
        ...UnitSetProgressFields
      }
    }
  }
`);

export const UNIT_PAGE_LIST_QUERY = graphql(`
  query AtlasUnits($filter: UnitFilter, $first: Int, $after: String, $sort: UnitSort) {
    units(filter: $filter, first: $first, after: $after, sort: $sort) {
      totalCount
      edges {
        cursor
        node {
          id
          slug
          kind
          index
          labelState
          currentLabel
          topAutoLabel
          bestLabel {
            label
            basis
            score
          }
          hookPoint {
            id
            name
          }
          dictionary {
            id
            name
          }
          stats {
            maxActivation
            density
            multimodalScore
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
