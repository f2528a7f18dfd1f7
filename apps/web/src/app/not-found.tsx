// 404 page for unknown routes (e.g. a unit link that does not exist yet).
import Link from "next/link";

export default function NotFound() {
  return (
    <div className="notice">
      <p>
        <strong>Page not found</strong>
      </p>
      <p className="muted">
        <Link href="/">Back to the atlas</Link>
      </p>
    </div>
  );
}
