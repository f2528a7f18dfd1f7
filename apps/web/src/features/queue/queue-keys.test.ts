// queueAction: the same key means different things in and out of the label field.
import { queueAction, type KeyInfo } from "./queue-keys";

const key = (k: string, over: Partial<KeyInfo> = {}): KeyInfo => ({
  key: k,
  inLabelField: false,
  inOtherField: false,
  ctrl: false,
  meta: false,
  alt: false,
  ...over,
});

test("in the label field: Enter saves, Escape blurs, letters type, Alt+S skips", () => {
  expect(queueAction(key("Enter", { inLabelField: true }))).toEqual({ type: "save" });
  expect(queueAction(key("Escape", { inLabelField: true }))).toEqual({ type: "blur" });
  expect(queueAction(key("s", { inLabelField: true }))).toBeNull();
  expect(queueAction(key("s", { inLabelField: true, alt: true }))).toEqual({ type: "skip" });
});

test("outside: S skips, Enter/L focus, digits pick suggestions; other fields and Ctrl are ignored", () => {
  expect(queueAction(key("S"))).toEqual({ type: "skip" });
  expect(queueAction(key("Enter"))).toEqual({ type: "focus" });
  expect(queueAction(key("l"))).toEqual({ type: "focus" });
  expect(queueAction(key("3"))).toEqual({ type: "suggest", index: 2 });
  expect(queueAction(key("0"))).toBeNull();
  expect(queueAction(key("s", { inOtherField: true }))).toBeNull();
  expect(queueAction(key("s", { ctrl: true }))).toBeNull();
});
