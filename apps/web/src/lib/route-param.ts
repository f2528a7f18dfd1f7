// Dynamic route segments arrive percent-encoded; a malformed escape (e.g. "%E0%A4%A") must give the 404 page,
// not a 500 from decodeURIComponent.

/** The decoded segment, or null when it is not valid percent-encoded UTF-8. */
export function decodeRouteParam(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
