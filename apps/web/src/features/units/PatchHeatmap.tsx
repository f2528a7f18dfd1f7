// An example image with its per-patch activations drawn over it as a translucent heatmap grid (gridSize: the
// model's patches per side, from its image config; see patchGrid).
import { intensity, patchGrid } from "./activation-layout";

export function PatchHeatmap({
  src,
  values,
  scale,
  alt,
  gridSize,
  size = 112,
}: {
  src: string | null;
  values: number[];
  scale: number;
  alt: string;
  gridSize: number | null;
  size?: number;
}) {
  const grid = patchGrid(values, gridSize);
  return (
    <div className="heatmap" style={{ width: size, height: size }}>
      {src ? (
        <img src={src} alt={alt} width={size} height={size} className="heatmap__image" />
      ) : (
        <div className="heatmap__image heatmap__image--missing">no image</div>
      )}
      {grid ? (
        <div
          className="heatmap__grid"
          data-testid="patch-heatmap"
          data-grid={grid.size}
          style={{ gridTemplateColumns: `repeat(${grid.size}, 1fr)` }}
          aria-hidden
        >
          {grid.cells.map((v, i) => (
            <span
              key={i}
              title={v.toFixed(3)}
              style={{ backgroundColor: `rgba(255, 80, 0, ${(0.75 * intensity(v, scale)).toFixed(3)})` }}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}
