// GraphQL documents for the live votes and comments beside the annotation panel (result types generated
// from the schema by graphql-codegen: apps/web/codegen.ts).
import { graphql } from "../../gql";

export const UNIT_DISCUSSION_QUERY = graphql(`
  query UnitDiscussion($id: ID!) {
    unit(id: $id) {
      id
      annotations {
        id
        label
        status
        voteScore
        myVote
        author {
          id
          displayName
        }
      }
      comments {
        id
        body
        createdAt
        author {
          id
          displayName
        }
      }
    }
  }
`);

export const ANNOTATION_CHANGED_SUBSCRIPTION = graphql(`
  subscription AnnotationChanged($unitId: ID!) {
    annotationChanged(unitId: $unitId) {
      kind
      unitId
      annotationId
      commentId
      at
    }
  }
`);

export const VOTE_MUTATION = graphql(`
  mutation Vote($annotationId: ID!, $value: Int!) {
    vote(annotationId: $annotationId, value: $value) {
      id
      voteScore
      myVote
    }
  }
`);

export const ADD_COMMENT_MUTATION = graphql(`
  mutation AddComment($input: AddCommentInput!) {
    addComment(input: $input) {
      id
    }
  }
`);

export const ME_QUERY = graphql(`
  query Me {
    me {
      id
      displayName
      role
    }
  }
`);
