// GraphQL documents of the review page: proposed annotations with their scores and their unit's agreement and
// trusted label (every candidate label with votes, raters and score), the project-level agreement figure, and
// accepting / rejecting. Result types are generated from the schema by graphql-codegen
// (apps/web/codegen.ts).
import { graphql } from "../../gql";
import type { ReviewQueueQuery } from "../../gql/graphql";

export type ProposedAnnotation = ReviewQueueQuery["annotations"]["edges"][number]["node"];
export type TrustedLabelData = ProposedAnnotation["unit"]["trustedLabel"];

export const REVIEW_QUERY = graphql(`
  query ReviewQueue($first: Int, $after: String) {
    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          label
          description
          tags
          version
          voteScore
          updatedAt
          scores {
            ...LabelScoreFields
          }
          author {
            id
            displayName
          }
          unit {
            id
            kind
            index
            labelState
            hookPoint {
              name
            }
            model {
              displayName
            }
            labelAgreement {
              raters
              majorityLabel
              majorityShare
              pairwiseAgreement
            }
            trustedLabel {
              label
              source
              reason
              raters
              majorityShare
              alpha
              candidates {
                label
                labelKey
                sources
                raters
                votes
                accepted
                detectionAuroc
                scores {
                  ...LabelScoreFields
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    labelAgreement {
      alpha
      unitsWithOverlap
      ratedUnits
      annotators
      meanPairwiseAgreement
    }
  }
`);

export const REVIEW_DECISION_MUTATION = graphql(`
  mutation ReviewDecision($input: UpdateAnnotationInput!) {
    updateAnnotation(input: $input) {
      id
      status
      version
    }
  }
`);
