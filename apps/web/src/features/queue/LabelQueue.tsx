"use client";
// The labeling queue: one unit at a time (unlabeled first, then disputed; never one you labeled), its top
// examples and auto-label suggestions with their explanation scores, and a label field driven from the keyboard
// (see queue-keys.ts); the order can put the units whose best label scores lowest first (queue-order.ts).
import Link from "next/link";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { AttentionPatterns } from "../units/AttentionPatterns";
import { ExampleCard } from "../units/ExampleCard";
import { LabelScoreBadge } from "../units/LabelScoreCell";
import { KIND_LABEL } from "../units/unit-query";
import { queueAction } from "./queue-keys";
import type { QueueOrderChoice } from "./queue-order";
import { LABEL_QUEUE_QUERY, PROPOSE_LABEL_MUTATION } from "./queue-queries";
import "../units/units.css";
import "./queue.css";

export function LabelQueue({
  modelId,
  order = "CATALOG",
  onOrderChange,
}: {
  modelId: string | null;
  order?: QueueOrderChoice;
  onOrderChange?: (order: QueueOrderChoice) => void;
}) {
  const [skip, setSkip] = useState<string[]>([]);
  const [label, setLabel] = useState("");
  const [labeledCount, setLabeledCount] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = useRef(false); // one save at a time, even when Enter repeats
  const [{ data, fetching, error }, refetch] = useQuery({
    query: LABEL_QUEUE_QUERY,
    variables: { scope: modelId ? { modelId } : null, skip, order },
    requestPolicy: "network-only",
  });
  const [{ fetching: saving }, propose] = useMutation(PROPOSE_LABEL_MUTATION);
  const unit = data?.labelQueue.unit ?? null;

  useEffect(() => {
    setLabel("");
    setMessage(null);
    if (unit) inputRef.current?.focus();
  }, [unit?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = useCallback(async () => {
    if (!unit || busy.current) return;
    const text = label.trim();
    if (!text) {
      setMessage("Type a label first (or press Alt+S / Esc then S to skip).");
      return;
    }
    busy.current = true;
    try {
      const r = await propose({ input: { unitId: unit.id, label: text, status: "PROPOSED" } });
      if (r.error) {
        setMessage(r.error.graphQLErrors.map((e) => e.message).join("; ") || r.error.message);
        return;
      }
      setLabeledCount((n) => n + 1);
      inputRef.current?.focus();
      refetch({ requestPolicy: "network-only" });
    } finally {
      busy.current = false;
    }
  }, [unit, label, propose, refetch]);

  const skipUnit = useCallback(() => {
    if (unit) setSkip((s) => [...s, unit.id].slice(-500));
  }, [unit]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const inLabelField = target === inputRef.current;
      const inOtherField =
        !inLabelField &&
        !!target &&
        (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable);
      const action = queueAction({
        key: e.key,
        inLabelField,
        inOtherField,
        ctrl: e.ctrlKey,
        meta: e.metaKey,
        alt: e.altKey,
      });
      if (!action) return;
      e.preventDefault();
      if (action.type === "save") void save();
      else if (action.type === "skip") skipUnit();
      else if (action.type === "focus") inputRef.current?.focus();
      else if (action.type === "blur") inputRef.current?.blur();
      else if (action.type === "suggest" && unit?.autoLabels[action.index]) {
        setLabel(unit.autoLabels[action.index].label);
        inputRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, skipUnit, unit]);

  if (error && !data)
    return (
      <p className="form-error" role="alert">
        {error.graphQLErrors.map((e) => e.message).join("; ") || error.message}
      </p>
    );
  if (!data)
    return (
      <p className="muted" role="status">
        Loading the queue…
      </p>
    );
  const { remainingUnlabeled, remainingDisputed } = data.labelQueue;
  const counters = (
    <p className="queue__counters muted small" data-testid="queue-counters">
      <strong data-testid="labeled-count">{labeledCount}</strong> labeled this session ·{" "}
      {remainingUnlabeled.toLocaleString("en-US")} unlabeled and {remainingDisputed} disputed left
      {skip.length ? (
        <>
          {" "}
          · {skip.length} skipped (
          <button type="button" className="linkish" onClick={() => setSkip([])}>
            bring back
          </button>
          )
        </>
      ) : null}
      {onOrderChange ? (
        <>
          {" "}
          ·{" "}
          <label className="queue__order">
            order{" "}
            <select
              aria-label="queue order"
              data-testid="queue-order"
              value={order}
              onChange={(e) => onOrderChange(e.target.value as QueueOrderChoice)}
            >
              <option value="CATALOG">catalog (hook point, index)</option>
              <option value="LOW_SCORE_FIRST">lowest best label score first</option>
            </select>
          </label>
        </>
      ) : null}
    </p>
  );
  if (!unit) {
    return (
      <div className="queue">
        {counters}
        <div className="notice" data-testid="queue-empty">
          <p>
            <strong>Nothing left to label here.</strong>
          </p>
          <p className="muted">Every unit in this scope is labeled by you or skipped. Thank you!</p>
        </div>
      </div>
    );
  }
  const scale = unit.stats.maxActivation ?? Math.max(0, ...unit.topActivations.map((t) => t.maxValue));
  return (
    <div className="queue" data-testid="queue-unit" data-unit-id={unit.id}>
      {counters}
      <div className="queue__head">
        <div>
          <p className="crumbs muted">
            {unit.model.displayName} › <code>{unit.hookPoint.name}</code>
            {unit.dictionary ? (
              <>
                {" "}
                › <code>{unit.dictionary.name}</code>
              </>
            ) : null}
          </p>
          <h1>
            <Link href={`/units/${encodeURIComponent(unit.id)}`} target="_blank">
              {KIND_LABEL[unit.kind]} #{unit.index}
            </Link>
            <span className={`state state--${unit.labelState.toLowerCase()}`}>{unit.labelState.toLowerCase()}</span>
          </h1>
          <p className="small muted" data-testid="queue-best-label">
            {unit.bestLabel?.score != null ? (
              <>
                best label so far: “{unit.bestLabel.label}”, detection AUROC {unit.bestLabel.score.toFixed(2)}
              </>
            ) : (
              "no label of this unit is scored yet"
            )}
          </p>
        </div>
      </div>
      <form
        className="queue__form card"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          What does this unit respond to?
          <input
            ref={inputRef}
            className="queue__input"
            name="label"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            autoComplete="off"
            placeholder="e.g. red circles"
            aria-label="label"
            maxLength={200}
          />
        </label>
        <div className="queue__buttons">
          <button type="submit" className="button button--primary" disabled={saving}>
            Save & next <kbd>Enter</kbd>
          </button>
          <button type="button" className="button" onClick={skipUnit}>
            Skip <kbd>S</kbd>
          </button>
        </div>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        {unit.autoLabels.length ? (
          <p className="queue__suggestions small">
            Suggestions:{" "}
            {unit.autoLabels.slice(0, 9).map((a, i) => (
              <button
                key={i}
                type="button"
                className="chip"
                onClick={() => {
                  setLabel(a.label);
                  inputRef.current?.focus();
                }}
                title={`${a.method ?? ""} score ${a.score.toFixed(3)}`}
              >
                <kbd>{i + 1}</kbd> {a.label} <LabelScoreBadge score={a.scores} />
              </button>
            ))}
          </p>
        ) : null}
        {unit.annotations.length ? (
          <p className="small muted">
            Others said:{" "}
            {unit.annotations.map((a, i) => (
              <span key={a.id}>
                {i ? ", " : ""}“{a.label}” ({a.author.displayName}) <LabelScoreBadge score={a.scores} />
              </span>
            ))}
          </p>
        ) : null}
        <p className="small muted queue__help">
          Enter: save &amp; next · Esc then S (or Alt+S): skip · 1–9: take a suggestion · L: back to the label field
        </p>
      </form>
      {unit.kind === "ATTENTION_HEAD" ? (
        <AttentionPatterns
          extra={(unit.stats.extra ?? {}) as Record<string, unknown>}
          tower={unit.hookPoint.tower}
          gridSize={unit.model.imageGridSize}
        />
      ) : unit.topActivations.length === 0 ? (
        <p className="muted">No stored examples for this unit; open the unit page for its statistics.</p>
      ) : (
        <ul className="example-grid">
          {unit.topActivations.map((t) => (
            <ExampleCard key={t.id} row={t} scale={scale} gridSize={unit.model.imageGridSize} />
          ))}
        </ul>
      )}
      {fetching ? (
        <p className="muted small" role="status">
          Loading next…
        </p>
      ) : null}
    </div>
  );
}
