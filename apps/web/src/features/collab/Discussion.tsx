"use client";
// Votes on the unit's annotations and the unit's comment thread, refreshed live from the
// annotationChanged subscription (graphql-ws): anyone's vote or comment shows up without reloading.
import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import type { AnnotationChangedSubscription, AnnotationChangedSubscriptionVariables } from "../../gql/graphql";
import {
  ADD_COMMENT_MUTATION,
  ANNOTATION_CHANGED_SUBSCRIPTION,
  UNIT_DISCUSSION_QUERY,
  VOTE_MUTATION,
} from "./discussion-queries";

export function Discussion({ unitId, canWrite }: { unitId: string; canWrite: boolean }) {
  const [{ data, error }, refetch] = useQuery({ query: UNIT_DISCUSSION_QUERY, variables: { id: unitId } });
  const [changes] = useSubscription<AnnotationChangedSubscription, number, AnnotationChangedSubscriptionVariables>(
    { query: ANNOTATION_CHANGED_SUBSCRIPTION, variables: { unitId } },
    (count = 0) => count + 1,
  );
  useEffect(() => {
    if (changes.data) refetch({ requestPolicy: "network-only" });
  }, [changes.data, refetch]);
  const [, vote] = useMutation(VOTE_MUTATION);
  const [comment, addComment] = useMutation(ADD_COMMENT_MUTATION);
  const [body, setBody] = useState("");

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    const r = await addComment({ input: { unitId, body: text } });
    if (!r.error) {
      setBody("");
      refetch({ requestPolicy: "network-only" });
    }
  };

  if (error && !data) return <p className="error-text">Could not load votes and comments: {error.message}</p>;
  const annotations = data?.unit.annotations ?? [];
  const comments = data?.unit.comments ?? [];
  return (
    <section className="discussion" aria-label="votes and comments">
      <h3>
        Labels <span className="muted">({annotations.length})</span>
      </h3>
      <ul className="vote-list">
        {annotations.map((a) => (
          <li key={a.id} className="vote-row" data-annotation={a.id}>
            <span className="vote-buttons">
              <button
                type="button"
                aria-label={`upvote ${a.label}`}
                aria-pressed={a.myVote === 1}
                disabled={!canWrite}
                onClick={() => vote({ annotationId: a.id, value: 1 })}
              >
                ▲
              </button>
              <strong className="vote-score" data-testid="vote-score">
                {a.voteScore}
              </strong>
              <button
                type="button"
                aria-label={`downvote ${a.label}`}
                aria-pressed={a.myVote === -1}
                disabled={!canWrite}
                onClick={() => vote({ annotationId: a.id, value: -1 })}
              >
                ▼
              </button>
            </span>
            <span className="vote-label">{a.label || <em className="muted">(empty)</em>}</span>
            <span className={`status-pill status-${a.status.toLowerCase()}`}>{a.status.toLowerCase()}</span>
          </li>
        ))}
        {annotations.length === 0 && <li className="muted">No labels yet.</li>}
      </ul>
      <h3>
        Comments <span className="muted">({comments.length})</span>
      </h3>
      <ol className="comment-list">
        {comments.map((c) => (
          <li key={c.id} className="comment">
            <span className="comment-author">{c.author.displayName}</span>
            <time className="muted" dateTime={c.createdAt}>
              {new Date(c.createdAt).toLocaleString()}
            </time>
            <p>{c.body}</p>
          </li>
        ))}
      </ol>
      {canWrite && (
        <form className="comment-form" onSubmit={submit}>
          <textarea
            aria-label="new comment"
            placeholder="Add a comment"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={2}
          />
          <button type="submit" disabled={comment.fetching || !body.trim()}>
            Comment
          </button>
          {comment.error && (
            <p className="error-text">{comment.error.graphQLErrors[0]?.message ?? comment.error.message}</p>
          )}
        </form>
      )}
    </section>
  );
}
