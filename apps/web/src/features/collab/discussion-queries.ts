// GraphQL documents for the live votes and comments beside the annotation panel.
import { gql } from "urql";

export interface DiscussionAnnotation {
  id: string;
  label: string;
  status: string;
  voteScore: number;
  myVote: number;
  author: { id: string; displayName: string };
}

export interface DiscussionComment {
  id: string;
  body: string;
  createdAt: string;
  author: { id: string; displayName: string };
}

export interface UnitDiscussionResult {
  unit: { id: string; annotations: DiscussionAnnotation[]; comments: DiscussionComment[] };
}

export const UNIT_DISCUSSION_QUERY = gql`
  query UnitDiscussion($id: ID!) {
    unit(id: $id) {
      id
      annotations { id label status voteScore myVote author { id displayName } }
      comments { id body createdAt author { id displayName } }
    }
  }
`;

export const ANNOTATION_CHANGED_SUBSCRIPTION = gql`
  subscription AnnotationChanged($unitId: ID!) {
    annotationChanged(unitId: $unitId) { kind unitId annotationId commentId at }
  }
`;

export const VOTE_MUTATION = gql`
  mutation Vote($annotationId: ID!, $value: Int!) {
    vote(annotationId: $annotationId, value: $value) { id voteScore myVote }
  }
`;

export const ADD_COMMENT_MUTATION = gql`
  mutation AddComment($input: AddCommentInput!) {
    addComment(input: $input) { id }
  }
`;

export interface MeResult {
  me: { id: string; displayName: string; role: "VIEWER" | "ANNOTATOR" | "REVIEWER" | "ADMIN" } | null;
}

export const ME_QUERY = gql`
  query Me { me { id displayName role } }
`;
