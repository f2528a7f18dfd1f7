// A text with each token shaded by the unit's activation on it (hover shows the value); tokens are the model's
// own when the API gives them.
import { intensity, tokenValues } from "./activation-layout";

export function TokenHighlights({
  text,
  values,
  scale,
  tokens,
}: {
  text: string;
  values: number[];
  scale: number;
  tokens?: readonly string[] | null;
}) {
  if (values.length === 0) return <span>{text}</span>;
  return (
    <span className="tokens" data-testid="token-highlights">
      {tokenValues(text, values, tokens).map((t, i) => (
        <span
          key={i}
          className="token"
          title={t.value.toFixed(3)}
          style={{ backgroundColor: `rgba(255, 80, 0, ${(0.7 * intensity(t.value, scale)).toFixed(3)})` }}
        >
          {t.token}
        </span>
      ))}
    </span>
  );
}
