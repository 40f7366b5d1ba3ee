import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback";

describe("safeCallbackUrl", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeCallbackUrl("/dashboard/earnings")).toBe("/dashboard/earnings");
    expect(safeCallbackUrl("/r/usr_abc?x=1#top")).toBe("/r/usr_abc?x=1#top");
    expect(safeCallbackUrl("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it.each([
    ["a tab before another host, as sent in the review's link", "/\t/evil.example/phish"],
    ["a newline", "/\n/evil.example"],
    ["a NUL", "/dash\u0000board"],
    ["a lone surrogate", "/dash\uD800board"],
    ["a protocol-relative URL", "//evil.example/phish"],
    ["a backslash", "/\\evil.example"],
    ["a dot segment that leaves a protocol-relative path", "/.//evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["no leading slash", "dashboard"],
    ["nothing", ""],
    ["not a string (a repeated query parameter)", ["/a", "/b"]],
    ["undefined", undefined],
  ])("sends %s to the dashboard", (_, value) => {
    expect(safeCallbackUrl(value)).toBe("/dashboard");
  });
});
