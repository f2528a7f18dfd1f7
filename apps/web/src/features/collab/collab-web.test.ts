// The panel's pure pieces: where the collab WebSocket is, when the server's "saved" message covers this
// client's edits, and what the status chip says (never "All changes saved" to a visitor who cannot edit).
import * as Y from "yjs";
import { collabUrlFromApiUrl, graphqlWsUrlFromApiUrl } from "./collab-url";
import { readOnlyReason, saveStateOf, saveStateText } from "./save-state";
import { isStateSaved, parseSavedMessage } from "./saved-state";

describe("collab URLs", () => {
  test("sit next to /graphql on the same host, ws or wss", () => {
    expect(collabUrlFromApiUrl("http://127.0.0.1:4000/graphql")).toBe("ws://127.0.0.1:4000/collab");
    expect(collabUrlFromApiUrl("https://atlas.example.org/api/graphql?x=1")).toBe("wss://atlas.example.org/api/collab");
    expect(collabUrlFromApiUrl("/graphql", "http://localhost:3000/units/u1")).toBe("ws://localhost:3000/collab");
    expect(graphqlWsUrlFromApiUrl("https://h/graphql")).toBe("wss://h/graphql");
  });
});

describe("saved state", () => {
  const message = (doc: Y.Doc) =>
    JSON.stringify({ type: "saved", stateVector: Buffer.from(Y.encodeStateVector(doc)).toString("base64") });

  test("is saved when the stored vector covers this client's clock, not before", () => {
    const mine = new Y.Doc();
    expect(isStateSaved(mine, new Map())).toBe(true); // nothing written yet
    mine.getText("label").insert(0, "abc");
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(mine));
    const stored = parseSavedMessage(message(server))!;
    expect(stored.get(mine.clientID)).toBe(3);
    expect(isStateSaved(mine, stored)).toBe(true);
    mine.getText("label").insert(3, "d"); // a newer edit is not covered by the older store
    expect(isStateSaved(mine, stored)).toBe(false);
  });

  test("ignores other stateless payloads", () => {
    expect(parseSavedMessage("hello")).toBeNull();
    expect(parseSavedMessage(JSON.stringify({ type: "other" }))).toBeNull();
  });
});

describe("status chip", () => {
  const facts = { denied: false, online: true, synced: true, hasContent: true, readOnly: false, stored: true };

  test("a visitor who cannot edit sees Read-only, never All changes saved", () => {
    const state = saveStateOf({ ...facts, readOnly: true });
    expect(state).toBe("readonly");
    expect(saveStateText(state, true)).toBe("Read-only");
    expect(saveStateText(saveStateOf({ ...facts, readOnly: true, online: false }), true)).not.toMatch(
      /saved|edits kept/i,
    );
    expect(readOnlyReason(null, false)).toBe("Read-only: sign in as an annotator to edit.");
    expect(readOnlyReason(null, true)).toMatch(/^Read-only: your role can view/);
    expect(readOnlyReason("unit not found", true)).toBe("Read-only: unit not found");
  });

  test("an editor sees saving until stored, then saved; connection states come first", () => {
    expect(saveStateText(saveStateOf(facts), false)).toBe("All changes saved");
    expect(saveStateOf({ ...facts, stored: false })).toBe("saving");
    expect(saveStateOf({ ...facts, synced: false })).toBe("connecting");
    expect(saveStateOf({ ...facts, online: false })).toBe("offline");
    expect(saveStateOf({ ...facts, online: false, synced: false, hasContent: false })).toBe("connecting");
    expect(saveStateOf({ ...facts, denied: true, readOnly: true })).toBe("denied");
  });
});
