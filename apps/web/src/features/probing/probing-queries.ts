// GraphQL documents of the model page's probing heatmap (ProbingHeatmap): the model's stored linear probes
// (Model.probing: cells, skipped families, the dataset, the job to follow), the datasets it can be run on, and
// the runProbing mutation (job.manage). Progress is followed with atlas/build-queries' JOB_PROGRESS_SUBSCRIPTION.
import { graphql } from "../../gql";

export const MODEL_PROBING_QUERY = graphql(`
  query ModelProbing($id: ID!, $datasetId: ID) {
    model(id: $id) {
      id
      modality
      probing(datasetId: $datasetId) {
        dataset {
          id
          name
        }
        datasets {
          id
          name
        }
        cells {
          tower
          hookName
          hookKind
          layer
          dictionary
          pooling
          family
          accuracy
          chance
          trainAccuracy
          trainCount
          testCount
          classes
          createdAt
        }
        skipped {
          tower
          family
          reason
          message
        }
        job {
          id
          status
          progress
          error
          metrics
          finishedAt
        }
      }
    }
    datasets {
      id
      name
      modality
    }
  }
`);

export const RUN_PROBING_MUTATION = graphql(`
  mutation RunProbing($modelId: ID!, $datasetId: ID!) {
    runProbing(modelId: $modelId, datasetId: $datasetId) {
      id
      status
      progress
    }
  }
`);
