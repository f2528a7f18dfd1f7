// Where a build checkpoint lives: its small JSON part in Job.checkpoint, its typed arrays (accumulator snapshots,
// up to gigabytes for a real-size model) in one binary body file under <DATA_DIR>/checkpoints/, written to a
// temporary name, synced and renamed, then referenced from the JSON ({ body: { file, bytes } }). The previous body
// is removed only after the Job row points at the new one, so a crash at any moment leaves a readable checkpoint.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "@mmatlas/db";
import { AppError } from "@mmatlas/errors";
import { packCheckpoint, unpackCheckpoint, type PackedCheckpoint } from "./checkpoint-codec";

export interface CheckpointBodyRef {
  file: string;
  bytes: number;
}

export const checkpointDir = (): string => path.join(dataDir(), "checkpoints");

const safeJobId = (jobId: string) => jobId.replace(/[^A-Za-z0-9_-]/g, "_");
const bodyPrefix = (jobId: string) => `${safeJobId(jobId)}.`;

/** Writes one binary body file (temporary name, synced, renamed): each packed part at its offset. */
async function writeBody(jobId: string, packed: PackedCheckpoint): Promise<CheckpointBodyRef> {
  const dir = checkpointDir();
  mkdirSync(dir, { recursive: true });
  const file = `${bodyPrefix(jobId)}${Date.now()}-${randomBytes(4).toString("hex")}.bin`;
  const tmp = path.join(dir, `${file}.tmp`);
  const handle = await open(tmp, "w");
  try {
    for (const part of packed.parts) await handle.write(part.bytes, 0, part.bytes.byteLength, part.offset);
    await handle.truncate(packed.bytes);
    await handle.datasync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    rmSync(tmp, { force: true });
    throw e;
  }
  await handle.close();
  renameSync(tmp, path.join(dir, file));
  return { file, bytes: packed.bytes };
}

/**
 * Writes a job's checkpoints. The accumulator states (`states`) go to a binary body; a checkpoint whose `states` is
 * the very object written last time (the finalize phase only appends to finalizedSets) reuses that body instead of
 * writing gigabytes again.
 */
export class CheckpointWriter {
  private last: { states: unknown; json: unknown; body: CheckpointBodyRef | null } | null = null;

  constructor(readonly jobId: string) {}

  /** The JSON to store in Job.checkpoint; `fresh` is the body written by this call (null when reused or none). */
  async write(checkpoint: {
    states: unknown;
  }): Promise<{ json: Record<string, unknown>; body: CheckpointBodyRef | null; fresh: CheckpointBodyRef | null }> {
    const { states, ...rest } = checkpoint;
    const head = packCheckpoint(rest);
    if (head.parts.length) throw new TypeError("checkpoint: typed arrays belong in `states`");
    let fresh: CheckpointBodyRef | null = null;
    let last = this.last;
    if (!last || last.states !== states) {
      const packed = packCheckpoint(states);
      fresh = packed.parts.length ? await writeBody(this.jobId, packed) : null;
      last = this.last = { states, json: packed.json, body: fresh };
    }
    const { json: statesJson, body } = last;
    const json = { ...(head.json as Record<string, unknown>), states: statesJson, ...(body ? { body } : {}) };
    return { json, body, fresh };
  }
}

/** Removes one body file (a checkpoint that never reached the Job row). */
export function removeCheckpointBody(file: string): void {
  rmSync(path.join(checkpointDir(), path.basename(file)), { force: true });
}

/** Reads a stored Job.checkpoint back (with its binary body, when it has one). */
export async function readCheckpoint(stored: unknown): Promise<unknown> {
  const body = (stored as { body?: CheckpointBodyRef } | null)?.body;
  if (!body) return unpackCheckpoint(stored, null);
  const file = path.join(checkpointDir(), path.basename(body.file));
  if (!existsSync(file) || statSync(file).size !== body.bytes) {
    throw AppError.badInput(
      `the checkpoint body ${body.file} is missing or incomplete in ${checkpointDir()}; start the build again`,
      "checkpoint",
    );
  }
  const handle = await open(file, "r");
  try {
    const bytes = new Uint8Array(body.bytes);
    let read = 0;
    while (read < body.bytes) {
      const { bytesRead } = await handle.read(bytes, read, Math.min(1 << 28, body.bytes - read), read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const { body: _ref, ...json } = stored as Record<string, unknown>;
    return unpackCheckpoint(json, bytes);
  } finally {
    await handle.close();
  }
}

/** Removes a job's checkpoint bodies except `keep` (the one its Job row references now); all of them without. */
export function removeCheckpointBodies(jobId: string, keep: string | null = null): void {
  const dir = checkpointDir();
  if (!existsSync(dir)) return;
  const prefix = bodyPrefix(jobId);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name !== keep) rmSync(path.join(dir, name), { force: true });
  }
}
