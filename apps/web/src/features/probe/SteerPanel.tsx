"use client";
// Steering in the live probe: for the chosen unit (from ?unit= or a "steer" button in the top units), a
// strength slider; the API adds strength × the unit's direction at its hook point and shows how the zero-shot
// class probabilities and the nearest captions of your image change (before vs after), and the unit's own
// activation. After the first run, moving the slider re-runs it (debounced).
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { PROBE_STEER_QUERY, STEER_UNIT_QUERY, type SteerResultData } from "./steer-queries";
import { classesToShow, isSteerable, parseClassPrompts, signed, strengthRange } from "./steer-view";
import { probeErrorMessage, type ProbeUploadLimits } from "./upload-check";
import "./steer.css";

const SHOWN_CLASSES = 8;

export function SteerPanel({
  modelId,
  image,
  unitId,
  limits,
}: {
  modelId: string;
  image: string | null;
  unitId: string | null;
  limits: ProbeUploadLimits;
}) {
  const client = useClient();
  const [{ data: unitData }] = useQuery({ query: STEER_UNIT_QUERY, variables: { id: unitId ?? "" }, pause: !unitId });
  const unit = unitData?.unit ?? null;
  const range = strengthRange(unit?.stats.maxActivation);
  const [strength, setStrength] = useState<number>(range.initial);
  const [result, setResult] = useState<SteerResultData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [classText, setClassText] = useState("");
  const latest = useRef(0);
  useEffect(() => {
    setStrength(range.initial);
    setResult(null);
  }, [unit?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  async function steer(s: number) {
    if (!unit || !image) return;
    const ticket = ++latest.current;
    setRunning(true);
    setProblem(null);
    const classes = parseClassPrompts(classText);
    const r = await client
      .query(
        PROBE_STEER_QUERY,
        { input: { modelId, image, unitId: unit.id, strength: s, classes } },
        { requestPolicy: "network-only" },
      )
      .toPromise();
    if (ticket !== latest.current) return; // a newer strength was asked for meanwhile
    setRunning(false);
    if (r.error) {
      setProblem(probeErrorMessage(r.error, limits));
      return;
    }
    setResult(r.data?.probeSteer ?? null);
  }
  useEffect(() => {
    // live: once a result is shown, moving the slider re-runs it
    if (!result || result.strength === strength) return;
    const t = setTimeout(() => void steer(strength), 150);
    return () => clearTimeout(t);
  }, [strength]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!unitId)
    return (
      <section className="card steer" id="steer" data-testid="steer-panel">
        <h2>Steer a unit</h2>
        <p className="muted small">
          Probe an image, then press “steer” next to a neuron or SAE feature of the top units (or open the probe from a
          unit page).
        </p>
      </section>
    );
  const steerable = unit ? isSteerable(unit.kind, unit.hookPoint.tower) : false;
  const name = unit ? `${unit.kind.toLowerCase().replace("_", " ")} #${unit.index}` : "…";
  return (
    <section className="card steer" id="steer" data-testid="steer-panel">
      <h2>
        Steer {unit ? <Link href={`/units/${encodeURIComponent(unit.id)}`}>{name}</Link> : name}
        {(unit?.currentLabel ?? unit?.topAutoLabel) ? (
          <span className="muted"> “{unit.currentLabel ?? unit.topAutoLabel}”</span>
        ) : null}
      </h2>
      {unit && !steerable ? (
        <p className="muted small" role="status">
          Only neurons and SAE features of the image tower can be steered.
        </p>
      ) : null}
      {unit && steerable ? (
        <>
          <p className="muted small">
            {unit.kind === "SAE_FEATURE" ? (
              <>
                Adds strength × the feature’s decoder direction to <code>{unit.hookPoint.name}</code>
              </>
            ) : (
              <>
                Adds the strength to the neuron’s value at <code>{unit.hookPoint.name}</code>
              </>
            )}
            , at every patch and CLS, then compares the image embedding before and after.
          </p>
          <div className="steer__controls">
            <label className="field steer__slider">
              Strength{" "}
              <strong className="probe__value" data-testid="steer-strength">
                {strength.toFixed(2)}
              </strong>
              <input
                type="range"
                min={range.min}
                max={range.max}
                step={range.step}
                value={strength}
                aria-label="steering strength"
                onChange={(e) => setStrength(Number(e.target.value))}
              />
            </label>
            <button
              type="button"
              className="button button--primary"
              disabled={!image || running}
              onClick={() => void steer(strength)}
              data-testid="steer-run"
            >
              {running ? "Steering…" : "Steer"}
            </button>
          </div>
          <label className="field">
            Zero-shot classes{" "}
            <span className="muted small">
              (comma-separated or one per line; empty: the 30 shapes-world classes “a red circle”, …)
            </span>
            <textarea
              className="input"
              rows={1}
              value={classText}
              onChange={(e) => setClassText(e.target.value)}
              aria-label="class prompts"
              placeholder="a red circle, a blue square, the word red"
            />
          </label>
          {!image ? <p className="muted small">Upload an image first.</p> : null}
        </>
      ) : null}
      {problem ? (
        <p className="form-error" role="alert" data-testid="steer-error">
          {problem}
        </p>
      ) : null}
      {result ? <SteerResultView result={result} /> : null}
    </section>
  );
}

function SteerResultView({ result }: { result: SteerResultData }) {
  const shown = classesToShow(result.classes, SHOWN_CLASSES);
  return (
    <div className="steer__result" data-testid="steer-result">
      <p className="small">
        Unit activation <strong data-testid="steer-unit-before">{result.unitBefore.toFixed(3)}</strong> →{" "}
        <strong data-testid="steer-unit-after">{result.unitAfter.toFixed(3)}</strong>
        <span className="muted">
          {" "}
          · embedding cosine {result.embeddingCosine.toFixed(4)} · strength {result.strength.toFixed(2)} ·{" "}
          <span data-testid="steer-latency">{result.latencyMs.toFixed(1)}</span> ms
        </span>
      </p>
      <div className="two-col">
        <section>
          <h3>
            Zero-shot classes{" "}
            <span className="muted small">
              (before <span className="steer__key steer__key--before" /> / after{" "}
              <span className="steer__key steer__key--after" />)
            </span>
          </h3>
          <table className="table steer__classes" data-testid="steer-classes">
            <thead>
              <tr>
                <th>class</th>
                <th>probability</th>
                <th className="num">Δ</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.label}>
                  <td>{c.label}</td>
                  <td>
                    <div className="steer__bars" title={`before ${c.before.toFixed(3)}, after ${c.after.toFixed(3)}`}>
                      <span
                        className="steer__bar steer__bar--before"
                        style={{ width: `${(100 * c.before).toFixed(1)}%` }}
                      />
                      <span
                        className="steer__bar steer__bar--after"
                        style={{ width: `${(100 * c.after).toFixed(1)}%` }}
                      />
                    </div>
                    <span className="muted small">
                      {c.before.toFixed(3)} → {c.after.toFixed(3)}
                    </span>
                  </td>
                  <td className={`num ${c.delta > 0 ? "steer__up" : c.delta < 0 ? "steer__down" : ""}`}>
                    {signed(c.delta)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>
            Nearest captions <span className="muted small">of {result.captionCount}</span>
          </h3>
          {result.captionCount === 0 ? (
            <p className="muted small">No text examples in the atlas’s datasets.</p>
          ) : (
            <div className="steer__captions">
              <CaptionList
                title="before"
                items={result.captionsBefore}
                value={(c) => c.before}
                testId="steer-captions-before"
              />
              <CaptionList
                title="after"
                items={result.captionsAfter}
                value={(c) => c.after}
                testId="steer-captions-after"
              />
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

function CaptionList({
  title,
  items,
  value,
  testId,
}: {
  title: string;
  items: SteerResultData["captionsBefore"];
  value: (c: SteerResultData["captionsBefore"][number]) => number;
  testId: string;
}) {
  return (
    <div>
      <h4>{title}</h4>
      <ol data-testid={testId}>
        {items.map((c) => (
          <li key={c.text}>
            {c.text} <span className="muted small">{value(c).toFixed(3)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
