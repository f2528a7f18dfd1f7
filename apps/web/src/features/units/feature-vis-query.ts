// The unit page's "Feature visualization" documents: the unit's optimised image with its activation next to the
// dataset max (or why there is none), and the visualizeUnit mutation (queues a FEATURE_VISUALIZATION job).
import { graphql } from "../../gql";
import type { UnitFeatureVisualizationQuery } from "../../gql/graphql";

export type FeatureVisData = NonNullable<UnitFeatureVisualizationQuery["unit"]["featureVisualization"]>;

export const UNIT_FEATURE_VISUALIZATION_QUERY = graphql(`
  query UnitFeatureVisualization($id: ID!) {
    unit(id: $id) {
      id
      featureVisualization {
        unitId
        status
        reason
        reasonCode
        imageDataUrl
        width
        height
        activation
        startActivation
        datasetMax
        ratioToDatasetMax
        steps
        seed
        version
        createdAt
        pendingJobId
      }
    }
  }
`);

export const VISUALIZE_UNIT_MUTATION = graphql(`
  mutation VisualizeUnit($unitId: ID!) {
    visualizeUnit(unitId: $unitId) {
      id
      status
      progress
    }
  }
`);
