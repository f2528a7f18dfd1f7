"use client";
// Live probe: pick a model and layer (or arrive from a unit page with ?unit=), upload an image or type a
// text, and see the unit's activation with its heatmap / token highlights plus the layer's top units.
// Steering (SteerPanel): add a unit's direction × strength and see your image's zero-shot classes and captions move.
import Link from "next/link";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useClient, useQuery } from "urql";
import { intensity } from "../units/activation-layout";
import { PatchHeatmap } from "../units/PatchHeatmap";
import type { ProbeInput } from "../../gql/graphql";
import { PROBE_MODELS_QUERY, PROBE_QUERY, PROBE_UNIT_QUERY, type ProbeResultData } from "./probe-queries";
import { readAsDataUrl } from "./read-file";
import { LogitLensPanel } from "./LogitLensPanel";
import { SteerPanel } from "./SteerPanel";
import { isSteerable } from "./steer-view";
import {
  acceptAttribute,
  checkProbeFile,
  checkProbePixels,
  DEFAULT_PROBE_LIMITS,
  probeErrorMessage,
  uploadHint,
} from "./upload-check";
import "../units/units.css";
import "./probe.css";

export function ProbeWorkbench({ unitId }: { unitId: string | null }) {
  const client = useClient();
  const [{ data: modelsData }] = useQuery({ query: PROBE_MODELS_QUERY });
  const limits = modelsData?.probeLimits ?? DEFAULT_PROBE_LIMITS;
  const [{ data: unitData, error: unitError }] = useQuery({
    query: PROBE_UNIT_QUERY,
    variables: { id: unitId ?? "" },
    pause: !unitId,
  });
  const unit = unitData?.unit ?? null;
  const [modelId, setModelId] = useState<string>("");
  const [hookPointId, setHookPointId] = useState<string>("");
  const [dictionaryId, setDictionaryId] = useState<string>("");
  const [mode, setMode] = useState<"image" | "text">("image");
  const [image, setImage] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [result, setResult] = useState<ProbeResultData | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  // the logit lens reads every layer × position out through ln_final + proj: cheap here, ~1 s on a 12-layer ViT-B
  const [withLens, setWithLens] = useState(true);
  const [steerUnitId, setSteerUnitId] = useState<string | null>(unitId);
  useEffect(() => setSteerUnitId(unitId), [unitId]);

  const models = useMemo(() => modelsData?.models ?? [], [modelsData]);
  const model = models.find((m) => m.id === modelId) ?? null;
  useEffect(() => {
    // defaults: the unit's model/layer/SAE, else the first model and layer
    if (unit) {
      setModelId(unit.model.id);
      setHookPointId(unit.hookPoint.id);
      setDictionaryId(unit.dictionary?.id ?? "");
      setMode(unit.hookPoint.tower === "TEXT" ? "text" : "image");
    } else if (!unitId && models.length && !modelId) {
      setModelId(models[0].id);
      setHookPointId(
        models[0].hookPoints.find((h) => h.kind !== "ATTN_PATTERN")?.id ?? models[0].hookPoints[0]?.id ?? "",
      );
    }
  }, [unit, unitId, models, modelId]);
  const hook = model?.hookPoints.find((h) => h.id === hookPointId) ?? null;
  useEffect(() => {
    if (hook) setMode(hook.tower === "TEXT" ? "text" : "image");
  }, [hook?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const dictionaries = useMemo(
    () => (model?.dictionaries ?? []).filter((d) => d.hookPointId === hookPointId),
    [model, hookPointId],
  );

  async function onFile(file: File | undefined) {
    setProblem(null);
    if (!file) return;
    const refused = checkProbeFile(file, limits); // checked here, before anything is sent
    if (refused) {
      setProblem(refused);
      setImage(null);
      return;
    }
    const dataUrl = await readAsDataUrl(file);
    const img = new Image();
    img.src = dataUrl;
    const tooManyPixels = await img.decode().then(
      () => checkProbePixels(img.naturalWidth, img.naturalHeight, limits),
      () => null,
    ); // undecodable here: the API says why
    if (tooManyPixels) {
      setProblem(tooManyPixels);
      setImage(null);
      return;
    }
    setImage(dataUrl);
  }

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!modelId) return;
    setProblem(null);
    setRunning(true);
    const input: ProbeInput = {
      modelId,
      hookPointId: hookPointId || null,
      dictionaryId: dictionaryId || null,
      topN: 10,
      logitLens: withLens,
    };
    if (unit && unit.hookPoint.id === hookPointId) input.unitId = unit.id;
    if (mode === "image") input.image = image;
    else input.text = text;
    const r = await client.query(PROBE_QUERY, { input }, { requestPolicy: "network-only" }).toPromise();
    setRunning(false);
    if (r.error) {
      setProblem(probeErrorMessage(r.error, limits));
      setResult(null);
      return;
    }
    setResult(r.data?.probe ?? null);
  }

  return (
    <div className="probe">
      <h1>Live probe</h1>
      <p className="muted">
        Run the model on your own input and see what fires.
        {unit ? (
          <>
            {" "}
            Probing{" "}
            <Link href={`/units/${encodeURIComponent(unit.id)}`}>
              {unit.kind.toLowerCase().replace("_", " ")} #{unit.index}
            </Link>
            {unit.currentLabel ? <> (“{unit.currentLabel}”)</> : null}.
          </>
        ) : null}
      </p>
      {unitError ? (
        <p className="form-error" role="alert">
          {unitError.message}
        </p>
      ) : null}
      <form className="card probe__form" onSubmit={run} data-testid="probe-form">
        <div className="probe__selects">
          <label className="field">
            Model
            <select
              value={modelId}
              onChange={(e) => {
                setModelId(e.target.value);
                setHookPointId("");
                setDictionaryId("");
              }}
              aria-label="model"
            >
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.displayName}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Layer
            <select
              value={hookPointId}
              onChange={(e) => {
                setHookPointId(e.target.value);
                setDictionaryId("");
              }}
              aria-label="layer"
            >
              <option value="">choose…</option>
              {(model?.hookPoints ?? []).map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Units
            <select value={dictionaryId} onChange={(e) => setDictionaryId(e.target.value)} aria-label="units">
              <option value="">{hook?.kind === "ATTN_PATTERN" ? "attention heads" : "neurons"}</option>
              {dictionaries.map((d) => (
                <option key={d.id} value={d.id}>
                  SAE {d.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="probe__modes" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={mode === "image"}
            className={`tab ${mode === "image" ? "is-active" : ""}`}
            onClick={() => setMode("image")}
          >
            Image
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === "text"}
            className={`tab ${mode === "text" ? "is-active" : ""}`}
            onClick={() => setMode("text")}
          >
            Text
          </button>
        </div>
        {mode === "image" ? (
          <div className="probe__image-input">
            <input
              type="file"
              accept={acceptAttribute(limits)}
              aria-label="image file"
              onChange={(e) => onFile(e.target.files?.[0])}
            />
            {image ? (
              <img src={image} alt="your input" className="probe__preview" />
            ) : (
              <span className="muted small" data-testid="probe-upload-hint">
                {uploadHint(limits)}
              </span>
            )}
          </div>
        ) : (
          <textarea
            className="input probe__text"
            rows={2}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="a red circle above a blue square"
            aria-label="probe text"
          />
        )}
        <div>
          <button
            type="submit"
            className="button button--primary"
            disabled={running || !modelId || (mode === "image" ? !image : !text.trim())}
          >
            {running ? "Running…" : "Probe"}
          </button>{" "}
          <label className="small">
            <input
              type="checkbox"
              checked={withLens}
              onChange={(e) => setWithLens(e.target.checked)}
              aria-label="with logit lens"
            />{" "}
            Logit lens (every layer read out as concept words)
          </label>
        </div>
        {problem ? (
          <p className="form-error" role="alert" data-testid="probe-error">
            {problem}
          </p>
        ) : null}
      </form>
      {result ? (
        <ProbeResultView result={result} image={mode === "image" ? image : null} onSteer={setSteerUnitId} />
      ) : null}
      <LogitLensPanel lens={result?.logitLens} image={mode === "image" ? image : null} tokens={result?.tokens} />
      {mode === "image" && modelId ? (
        <SteerPanel modelId={modelId} image={image} unitId={steerUnitId} limits={limits} />
      ) : null}
    </div>
  );
}

function ProbeResultView({
  result,
  image,
  onSteer,
}: {
  result: ProbeResultData;
  image: string | null;
  onSteer: (unitId: string) => void;
}) {
  const u = result.unit;
  const scale = u ? Math.max(u.value, ...u.values, 1e-9) : 1;
  const topScale = Math.max(...result.topUnits.map((t) => t.value), 1e-9);
  return (
    <div className="probe__result" data-testid="probe-result">
      <p className="muted small">
        Computed in <span data-testid="probe-latency">{result.latencyMs.toFixed(1)}</span> ms on the server.
      </p>
      <div className="two-col">
        {u ? (
          <section>
            <h2>This unit</h2>
            <p>
              Activation{" "}
              <strong className="probe__value" data-testid="probe-unit-value">
                {u.value.toFixed(3)}
              </strong>
              {u.clsValue != null ? <span className="muted small"> · CLS {u.clsValue.toFixed(3)}</span> : null}
            </p>
            {result.modality === "IMAGE" && image ? (
              <PatchHeatmap
                src={image}
                values={u.values}
                scale={scale}
                alt="probe input heatmap"
                gridSize={result.gridSize}
                size={224}
              />
            ) : result.tokens ? (
              <p className="tokens">
                {result.tokens.map((t, i) => (
                  <span
                    key={i}
                    className="token"
                    title={(u.values[i] ?? 0).toFixed(3)}
                    style={{
                      backgroundColor: `rgba(255, 80, 0, ${(0.7 * intensity(u.values[i] ?? 0, scale)).toFixed(3)})`,
                    }}
                  >
                    {t}
                  </span>
                ))}
              </p>
            ) : null}
          </section>
        ) : null}
        <section>
          <h2>
            Top units
            {result.hookPoint ? (
              <>
                {" "}
                of <code>{result.hookPoint.name}</code>
              </>
            ) : null}
            {result.dictionary ? <> · SAE {result.dictionary.name}</> : null}
          </h2>
          <table className="table" data-testid="probe-top-units">
            <thead>
              <tr>
                <th>unit</th>
                <th>label</th>
                <th className="num">activation</th>
                <th aria-label="steer" />
              </tr>
            </thead>
            <tbody>
              {result.topUnits.map((t) => (
                <tr key={`${t.kind}-${t.index}`}>
                  <td>
                    {t.unit ? (
                      <Link href={`/units/${encodeURIComponent(t.unit.id)}`}>
                        {t.kind.toLowerCase().replace("_", " ")} #{t.index}
                      </Link>
                    ) : (
                      <>
                        {t.kind.toLowerCase()} #{t.index}
                      </>
                    )}
                  </td>
                  <td>
                    {t.unit?.currentLabel ??
                      (t.unit?.topAutoLabel ? (
                        <span className="muted">auto: {t.unit.topAutoLabel}</span>
                      ) : (
                        <span className="muted">{t.unit ? "—" : "not built yet"}</span>
                      ))}
                  </td>
                  <td className="num">
                    <span className="bar" style={{ width: `${Math.round(60 * intensity(t.value, topScale))}px` }} />
                    {t.value.toFixed(3)}
                  </td>
                  <td>
                    {t.unit && result.modality === "IMAGE" && isSteerable(t.kind, "VISION") ? (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() => onSteer(t.unit!.id)}
                        data-testid="steer-unit-button"
                      >
                        steer
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.topUnits.length > 0 && result.topUnits.every((t) => !t.unit) ? (
            <p className="muted small" data-testid="probe-not-built">
              These units are not in the atlas yet
              {result.dictionary ? <> (SAE {result.dictionary.name} is not built)</> : null}: values are live, but there
              are no labels or unit pages until an admin builds it on the{" "}
              <Link href={`/models/${encodeURIComponent(result.model.id)}`}>model page</Link>.
            </p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
