import { describe, expect, it } from "vitest";
import { countRequestLines, findSecrets } from "./check-logs";

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: "info", requestId: "r1", ...fields });

describe("the check of a test run's logs", () => {
  it("finds an exact secret the tests used, wherever it sits in a line", () => {
    const logs = [{ file: "a.log", text: `${line({ route: "/x" })}\nstarted with correct horse battery staple\n` }];
    expect(findSecrets(logs, ["correct horse battery staple"])).toEqual([
      { file: "a.log", line: 2, what: "secret #1 used by the tests" },
    ]);
  });

  it.each([
    ["an API key", "key=sk_test_0123456789abcdef0123"],
    ["an API key", "pk_e2e_00112233445566778899aabb"],
    ["a webhook secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfYWJjIn0.c2lnbmF0dXJlc2lnbmF0dXJl"],
  ])("finds %s by its shape", (what, text) => {
    expect(findSecrets([{ file: "b.log", text }], [])).toEqual([{ file: "b.log", line: 1, what }]);
  });

  it("passes logs that name keys by prefix only and hold no secret", () => {
    const text = [line({ route: "/api/events/usage", status: 200 }), line({ actor: "sk_live_ab12", msg: "audit" })];
    expect(findSecrets([{ file: "c.log", text: text.join("\n") }], ["sk_live_ab12cd34ef56gh78"])).toEqual([]);
  });

  it("counts request lines so that an empty log cannot pass", () => {
    expect(countRequestLines(`${line({})}\nplain text\n${line({})}`)).toBe(2);
    expect(countRequestLines("")).toBe(0);
  });
});
