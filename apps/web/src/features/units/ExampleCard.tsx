// One example that activates a unit: the image with its patch heatmap or the text with token highlights,
// plus its activation value and ground-truth tags. Images load from the API's image route (Example.imageUrl).
import { useApiUrl } from "../../components/api-provider";
import { PatchHeatmap } from "./PatchHeatmap";
import { TokenHighlights } from "./TokenHighlights";
import type { TopActivationData } from "./unit-query";

export function ExampleCard({
  row,
  scale,
  gridSize,
  compact = false,
}: {
  row: TopActivationData;
  scale: number;
  gridSize: number | null;
  compact?: boolean;
}) {
  const ex = row.example;
  const apiUrl = useApiUrl();
  // served by the API (GET /images/examples/<id>, cached by the browser), not inlined in the GraphQL answer
  const src = ex.imageUrl ? new URL(ex.imageUrl, apiUrl).toString() : null;
  const isImage = src !== null;
  return (
    <li className={`example ${isImage ? "example--image" : "example--text"}`} data-testid="example">
      {isImage ? (
        <PatchHeatmap
          src={src}
          values={row.values}
          scale={scale}
          alt={`example ${ex.index}`}
          gridSize={gridSize}
          size={compact ? 80 : 112}
        />
      ) : (
        <p className="example__text">
          <TokenHighlights text={ex.text ?? ""} values={row.values} scale={scale} tokens={row.tokens} />
        </p>
      )}
      <div className="example__meta">
        <span className="example__value" title="max activation on this example">
          {row.maxValue.toFixed(3)}
        </span>
      </div>
      {!compact && ex.tags.length ? (
        <p className="example__tags" title={ex.tags.join(", ")}>
          {ex.tags.map((t) => t.split(":").pop()).join(" · ")}
        </p>
      ) : null}
    </li>
  );
}
