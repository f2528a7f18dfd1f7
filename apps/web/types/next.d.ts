// Next.js ambient types (CSS modules, images, ...) for `tsc -p apps/web` on a fresh clone, where the
// generated next-env.d.ts (gitignored) does not exist yet.
/// <reference types="next" />
/// <reference types="next/image-types/global" />
