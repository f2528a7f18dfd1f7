// GraphQL documents of the review page: proposed annotations with their unit's agreement, the project-level
// agreement figure, and accepting / rejecting.
import { gql } from "urql";

export interface UnitAgreement { raters: number; majorityLabel: string | null; majorityShare: number | null; pairwiseAgreement: number | null }
export interface ProposedAnnotation {
  id: string; label: string; description: string; tags: string[]; version: number; voteScore: number; updatedAt: string;
  author: { id: string; displayName: string };
  unit: { id: string; kind: string; index: number; labelState: string; hookPoint: { name: string }; model: { displayName: string }; labelAgreement: UnitAgreement };
}
export interface ProjectAgreement { alpha: number | null; unitsWithOverlap: number; ratedUnits: number; annotators: number; meanPairwiseAgreement: number | null }

export const REVIEW_QUERY = gql`
  query ReviewQueue($first: Int, $after: String) {
    annotations(filter: { status: PROPOSED }, first: $first, after: $after) {
      totalCount
      edges { node {
        id label description tags version voteScore updatedAt
        author { id displayName }
        unit { id kind index labelState hookPoint { name } model { displayName } labelAgreement { raters majorityLabel majorityShare pairwiseAgreement } }
      } }
      pageInfo { hasNextPage endCursor }
    }
    labelAgreement { alpha unitsWithOverlap ratedUnits annotators meanPairwiseAgreement }
  }
`;

export const REVIEW_DECISION_MUTATION = gql`
  mutation ReviewDecision($input: UpdateAnnotationInput!) { updateAnnotation(input: $input) { id status version } }
`;
