// The unit page's "Head decomposition" document: a vision head's TextSpan decomposition (share of the image
// embedding, concept texts, mean-ablation table) or why it is unavailable.
import { graphql } from "../../gql";
import type { UnitHeadDecompositionQuery } from "../../gql/graphql";

export type HeadDecompositionData = NonNullable<UnitHeadDecompositionQuery["unit"]["headDecomposition"]>;

export const UNIT_HEAD_DECOMPOSITION_QUERY = graphql(`
  query UnitHeadDecomposition($id: ID!) {
    unit(id: $id) {
      id
      headDecomposition {
        available
        reasonCode
        reason
        computed
        layer
        head
        share
        rank
        heads
        meanNorm
        texts {
          text
          prompt
          explainedVariance
        }
        ablation {
          task
          examples
          before
          after
          delta
        }
        sampleSize
        datasetName
        computedAt
      }
    }
  }
`);
