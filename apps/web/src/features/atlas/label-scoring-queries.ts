// GraphQL documents for the model page's label scoring (LabelScoringControl): the model's running, queued or
// latest SCORE_LABELS job (a succeeded atlas build queues one) and the scoreLabels mutation that queues a scoring
// of the whole model (job.manage). Progress is followed with build-queries' JOB_PROGRESS_SUBSCRIPTION.
import { graphql } from "../../gql";
import type { LabelScoringJobFieldsFragment } from "../../gql/graphql";

export type LabelScoringJob = LabelScoringJobFieldsFragment;

export const LABEL_SCORING_JOB_FIELDS = graphql(`
  fragment LabelScoringJobFields on Job {
    id
    status
    progress
    phase
    error
    examplesDone
    examplesTotal
    etaSeconds
    finishedAt
    metrics
  }
`);

export const MODEL_LABEL_SCORING_QUERY = graphql(`
  query ModelLabelScoring($id: ID!) {
    model(id: $id) {
      id
      latestLabelScoringJob {
        ...LabelScoringJobFields
      }
    }
  }
`);

export const SCORE_MODEL_LABELS_MUTATION = graphql(`
  mutation ScoreModelLabels($input: ScoreLabelsInput!) {
    scoreLabels(input: $input) {
      ...LabelScoringJobFields
    }
  }
`);
