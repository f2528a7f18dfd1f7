"use client";
// Avatars of everyone on the unit right now (Yjs awareness), one per user even with several tabs open;
// only validated users and colours are rendered (presence-view.ts).
import { initials, type PresenceState, type PresenceUser } from "@mmatlas/collab/doc";
import { viewablePresenceUser } from "./presence-view";
import type { Awareness } from "y-protocols/awareness";
import { useEffect, useState } from "react";

export function usePresentUsers(awareness: Awareness | null): (PresenceUser & { self: boolean })[] {
  const [users, setUsers] = useState<(PresenceUser & { self: boolean })[]>([]);
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const byUser = new Map<string, PresenceUser & { self: boolean }>();
      awareness.getStates().forEach((s, clientId) => {
        const user = viewablePresenceUser((s as PresenceState).user);
        if (!user) return;
        const self = clientId === awareness.clientID;
        const prev = byUser.get(user.id);
        byUser.set(user.id, { ...user, self: self || (prev?.self ?? false) });
      });
      setUsers([...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)));
    };
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness]);
  return users;
}

export function PresenceAvatars({ awareness }: { awareness: Awareness | null }) {
  const users = usePresentUsers(awareness);
  return (
    <ul className="presence" aria-label="people on this unit">
      {users.map((u) => (
        <li
          key={u.id}
          className="presence-avatar"
          style={{ background: u.color }}
          title={`${u.name}${u.self ? " (you)" : ""}${u.readOnly ? " · viewing" : ""}`}
          data-user={u.name}
        >
          {initials(u.name)}
        </li>
      ))}
    </ul>
  );
}
