"use client";
// Causal effect of the unit on the model's zero-shot concept scores: change when it is ablated and when it
// is steered up, one bar pair per concept (recharts).
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CausalRow } from "./causal-data";

export function CausalEffectChart({ rows, steerScale }: { rows: CausalRow[]; steerScale?: number }) {
  const height = Math.max(160, 28 * rows.length + 60);
  return (
    <div className="chart" data-testid="causal-chart">
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" fontSize={11} tickFormatter={(v: number) => v.toFixed(2)} />
          <YAxis type="category" dataKey="concept" width={90} fontSize={12} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(4) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine x={0} stroke="#5d6672" />
          <Bar dataKey="ablate" name="ablated (Δ score)" fill="#c92a2a" isAnimationActive={false} />
          <Bar
            dataKey="steer"
            name={`steered${steerScale ? ` ×${Number(steerScale.toFixed(2))}` : ""} (Δ score)`}
            fill="#2b8a3e"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
