"use client";
// Error boundary for any page: shows the message and lets the user retry without a full reload.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="notice notice--error" role="alert">
      <p>
        <strong>Something went wrong</strong>
      </p>
      <p className="muted">{error.message}</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
