import { describe, expect, it } from "vitest";
import { createMergePatch, diffDocuments, mergePatch } from "./document";

describe("program documents as JSON", () => {
  const doc = { shares: { user: ["15", "8", "4"] }, models: { a: { tier: "x" }, b: { tier: "y" } }, fee: "1.5" };

  it("merges objects key by key, replaces arrays and values, and removes a key given null", () => {
    expect(mergePatch(doc, { shares: { user: [20] }, models: { a: null, c: { tier: "z" } }, fee: 2 })).toEqual({
      shares: { user: [20] },
      models: { b: { tier: "y" }, c: { tier: "z" } },
      fee: 2,
    });
  });

  it("keeps __proto__ a plain key", () => {
    const merged = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("lists every changed leaf by its dotted path; a number equals its decimal string", () => {
    const after = mergePatch(doc, { shares: { user: [20, "8.0"] }, models: { a: null }, fee: 1.5 });
    expect(diffDocuments(doc, after)).toEqual([
      { path: "shares.user.0", from: "15", to: 20 },
      { path: "shares.user.2", from: "4" },
      { path: "models.a", from: { tier: "x" } },
    ]);
  });

  it("creates the patch that turns one document into another", () => {
    const after = { shares: { user: ["20", "8", "4"] }, models: { b: { tier: "y" }, c: { tier: "z" } }, fee: "1.50" };
    const patch = createMergePatch(doc, after);
    expect(patch).toEqual({ shares: { user: ["20", "8", "4"] }, models: { a: null, c: { tier: "z" } } });
    expect(diffDocuments(mergePatch(doc, patch), after)).toEqual([]);
    expect(createMergePatch(doc, doc)).toBeUndefined();
  });
});
