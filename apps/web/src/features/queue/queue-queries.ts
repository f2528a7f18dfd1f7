// GraphQL documents of the labeling queue: the next unit with the evidence needed to label it, and saving
// a label as a PROPOSED annotation. Every label carries its explanation scores. Result types are generated from the schema by graphql-codegen
// (apps/web/codegen.ts).
import { graphql } from "../../gql";

export const LABEL_QUEUE_QUERY = graphql(`
  query LabelQueue($scope: LabelQueueScope, $skip: [ID!], $order: QueueOrder) {
    labelQueue(scope: $scope, skip: $skip, order: $order) {
      remainingUnlabeled
      remainingDisputed
      unit {
        id
        slug
        kind
        index
        labelState
        currentLabel
        bestLabel {
          label
          basis
          score
        }
        model {
          id
          displayName
          imageGridSize
        }
        hookPoint {
          id
          name
          tower
        }
        dictionary {
          id
          name
        }
        stats {
          maxActivation
          density
          extra
        }
        autoLabels {
          label
          score
          method
          scores {
            ...LabelScoreFields
          }
        }
        annotations {
          id
          label
          status
          author {
            displayName
          }
          scores {
            ...LabelScoreFields
          }
        }
        topActivations(limit: 12) {
          ...TopActivationFields
        }
      }
    }
  }
`);

export const PROPOSE_LABEL_MUTATION = graphql(`
  mutation ProposeLabel($input: CreateAnnotationInput!) {
    createAnnotation(input: $input) {
      id
      label
      status
      unitId
    }
  }
`);
