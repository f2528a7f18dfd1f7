// The unit page's "Similar units" document: a unit's nearest units of its unit set by output-direction cosine and
// by activation correlation (both kinds in one request, aliased), with what a row shows.
import { graphql } from "../../gql";
import type { UnitNeighboursQuery } from "../../gql/graphql";

export type NeighbourRow = UnitNeighboursQuery["unit"]["byDirection"][number];

export const UNIT_NEIGHBOURS_QUERY = graphql(`
  query UnitNeighbours($id: ID!, $first: Int) {
    unit(id: $id) {
      id
      byDirection: neighbours(kind: DECODER_COSINE, first: $first) {
        rank
        score
        unit {
          id
          index
          kind
          labelState
          currentLabel
          topAutoLabel
        }
      }
      byActivation: neighbours(kind: ACTIVATION_CORRELATION, first: $first) {
        rank
        score
        unit {
          id
          index
          kind
          labelState
          currentLabel
          topAutoLabel
        }
      }
    }
  }
`);
