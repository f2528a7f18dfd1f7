// Presence rendering takes only validated users and "#rrggbb" colours from awareness.
import { colorForUser } from "@mmatlas/collab/doc";
import { viewablePresenceUser } from "./presence-view";

test("a colour that is not #rrggbb (a CSS url, a declaration) is replaced by the user's palette colour", () => {
  expect(viewablePresenceUser({ id: "u1", name: "Ada", color: "url(http://evil.example/x.png)" })).toEqual({
    id: "u1",
    name: "Ada",
    color: colorForUser("u1"),
    readOnly: false,
  });
  expect(viewablePresenceUser({ id: "u1", name: "Ada", color: "#fff;background:url(x)" })!.color).toBe(
    colorForUser("u1"),
  );
  expect(viewablePresenceUser({ id: "u1", name: "Ada", color: "#12ab9F", readOnly: true })).toEqual({
    id: "u1",
    name: "Ada",
    color: "#12ab9F",
    readOnly: true,
  });
});

test("malformed users are not rendered", () => {
  for (const bad of [null, "admin", { id: 1, name: "x" }, { id: "u", name: { html: "<b>" } }])
    expect(viewablePresenceUser(bad)).toBeNull();
  expect(viewablePresenceUser({ id: "u", name: "n".repeat(500), color: "#000000" })!.name).toHaveLength(80);
});
