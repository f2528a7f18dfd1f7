// GraphQL documents of the model page's head ranking (HeadRanking): the model's vision heads ranked by their direct
// share of the image embedding (TextSpan decomposition) with each head's first explaining text, the datasets it can
// be run on, and the runHeadDecomposition mutation (job.manage).
import { graphql } from "../../gql";

export const MODEL_HEAD_RANKING_QUERY = graphql(`
  query ModelHeadRanking($modelId: ID!) {
    headDecompositions(modelId: $modelId) {
      unitId
      layer
      head
      share
      rank
      texts {
        text
        explainedVariance
      }
      datasetName
      sampleSize
    }
    datasets {
      id
      name
      modality
    }
  }
`);

export const RUN_HEAD_DECOMPOSITION_MUTATION = graphql(`
  mutation RunHeadDecomposition($modelId: ID!, $datasetId: ID!) {
    runHeadDecomposition(modelId: $modelId, datasetId: $datasetId) {
      id
      status
      progress
    }
  }
`);
