import { describe, expect, it } from "vitest";
import { authRedirect, safeCallbackUrl } from "./callback-url";

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

describe("authRedirect (Auth.js's own endpoints)", () => {
  const site = new URL("http://127.0.0.1:3000");
  // Next.js names every loopback request localhost, so that is Auth.js's baseUrl on a loopback site.
  const baseUrl = "http://localhost:3000";

  it("keeps a path on this site, on the configured origin", () => {
    expect(authRedirect("/dashboard/earnings", baseUrl, site)).toBe("http://127.0.0.1:3000/dashboard/earnings");
    expect(authRedirect("http://127.0.0.1:3000/r/usr_a?x=1", baseUrl, site)).toBe("http://127.0.0.1:3000/r/usr_a?x=1");
    expect(authRedirect("http://localhost:3000/signin", baseUrl, site)).toBe("http://127.0.0.1:3000/signin");
    expect(authRedirect("http://127.0.0.1:3000", baseUrl, site)).toBe("http://127.0.0.1:3000/");
    expect(authRedirect("/signin", "https://rewards.example", null)).toBe("https://rewards.example/signin");
  });

  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/.//evil.example",
    "https://evil.example/",
    "http://127.0.0.1:3001/",
    "http://127.0.0.1:3000//evil.example",
    "http://127.0.0.1:3000/\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
  ])("sends %j to the dashboard", (url) => {
    expect(authRedirect(url, baseUrl, site)).toBe("http://127.0.0.1:3000/dashboard");
  });
});
