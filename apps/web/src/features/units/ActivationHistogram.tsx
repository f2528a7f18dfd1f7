"use client";
// Activation histogram (log-spaced bins from the atlas build) drawn with recharts, log count axis.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistogramData } from "./unit-query";

const fmt = (x: number) => (Math.abs(x) >= 100 || (x !== 0 && Math.abs(x) < 0.01) ? x.toExponential(1) : x.toFixed(2));

export function ActivationHistogram({ histogram }: { histogram: HistogramData }) {
  const data = histogram.counts.map((count, i) => ({
    bin: `${fmt(histogram.edges[i])}–${fmt(histogram.edges[i + 1] ?? histogram.edges[i])}`,
    lower: histogram.edges[i],
    count,
    plotted: count > 0 ? count : null,
  }));
  return (
    <div className="chart" data-testid="activation-histogram">
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="lower" tickFormatter={(v: number) => fmt(v)} fontSize={11} interval="preserveStartEnd" />
          <YAxis
            scale="log"
            domain={[1, "auto"]}
            allowDataOverflow
            fontSize={11}
            width={44}
            tickFormatter={(v: number) => v.toLocaleString("en-US")}
          />
          <Tooltip
            formatter={(_v, _n, item) => [(item.payload as { count: number }).count.toLocaleString("en-US"), "count"]}
            labelFormatter={(_l, payload) => (payload?.[0]?.payload as { bin?: string } | undefined)?.bin ?? ""}
          />
          <Bar dataKey="plotted" fill="#3b5bdb" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <p className="chart__caption muted">activation (log-spaced bins, positive values) × count (log scale)</p>
    </div>
  );
}
