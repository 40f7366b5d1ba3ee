import { describe, expect, it } from "vitest";
import { isSafeString, unsafeStringPath } from "./strings";

describe("unsafe strings", () => {
  it("are those with a NUL or half a surrogate pair; whole pairs and other text are fine", () => {
    expect(isSafeString("usr_abc ✓ 😀 \t\n")).toBe(true);
    expect(isSafeString("usr_\u0000")).toBe(false);
    expect(isSafeString("a\uD800")).toBe(false);
    expect(isSafeString("\uDC00a")).toBe(false);
    expect(isSafeString("\uDC00\uD800")).toBe(false);
  });

  it("are found anywhere in a value, keys included, by their path", () => {
    expect(unsafeStringPath({ a: ["ok", { b: 1 }] })).toBeNull();
    expect(unsafeStringPath({ events: [{ orderId: "x" }, { orderId: "y\u0000" }] })).toEqual([
      "events",
      "1",
      "orderId",
    ]);
    expect(unsafeStringPath({ rates: { "K\uD800": 1 } })).toEqual(["rates", "K\\ud800"]);
    expect(unsafeStringPath("\u0000")).toEqual([]);
  });
});
