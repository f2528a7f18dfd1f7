// GraphQL document of a unit set's 2D map (the hook point's neurons, or an SAE's features with dictionaryId).
import { graphql } from "../../gql";
import type { UnitSetMapQuery } from "../../gql/graphql";

export type MapPoint = NonNullable<UnitSetMapQuery["unitMap"]>["points"][number];

export const UNIT_SET_MAP_QUERY = graphql(`
  query UnitSetMap($hookPointId: ID!, $dictionaryId: ID) {
    unitMap(hookPointId: $hookPointId, dictionaryId: $dictionaryId) {
      source
      points {
        unitId
        index
        x
        y
        labelState
        label
        topAutoLabel
        autoLabelScore
        bestLabelScore
      }
    }
  }
`);
