// Puts a copy of a folder at a target path so that it can be undone: the copy is made in a staging folder
// beside the target, whatever was at the target is moved aside, and the staged copy renamed into place.
// commit() deletes what was moved aside; rollback() removes the new copy and puts the old folder back.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

export interface PlacedFolder {
  readonly target: string;
  commit(): void;
  rollback(): void;
}

const sideName = (target: string, what: string) => `${target}.${what}-${process.pid}-${Date.now().toString(36)}`;

export function placeFolder(source: string, target: string): PlacedFolder {
  mkdirSync(path.dirname(target), { recursive: true });
  const staging = sideName(target, "importing");
  try {
    cpSync(source, staging, { recursive: true, errorOnExist: true, force: false });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const aside = existsSync(target) ? sideName(target, "replaced") : null;
  try {
    if (aside) renameSync(target, aside);
    renameSync(staging, target);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (aside && !existsSync(target)) renameSync(aside, target);
    throw e;
  }
  return {
    target,
    commit: () => {
      if (aside) rmSync(aside, { recursive: true, force: true });
    },
    rollback: () => {
      rmSync(target, { recursive: true, force: true });
      if (aside) renameSync(aside, target);
    },
  };
}

/** Moves a folder aside so its removal can be undone: commit() deletes it, rollback() puts it back. */
export function setAside(folder: string): PlacedFolder {
  if (!existsSync(folder)) return { target: folder, commit: () => {}, rollback: () => {} };
  const aside = sideName(folder, "removing");
  renameSync(folder, aside);
  return {
    target: folder,
    commit: () => rmSync(aside, { recursive: true, force: true }),
    rollback: () => {
      if (!existsSync(folder)) renameSync(aside, folder);
    },
  };
}
