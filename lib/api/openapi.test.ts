/**
 * The reference at /docs/api is only as good as what routes declare: every JSON route shows a response example
 * (and a request example when it takes a body) that its own schemas accept, and every refusal it documents is a
 * code of the registry, under that code's status, with the exact envelope the API writes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import "@/app/api/openapi.json/routes";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { openApiDocument } from "./openapi";
import { registeredRoutes } from "./route";

const routes = registeredRoutes();
const name = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const jsonRoutes = routes.filter(
  (route) => route.response && (route.produces ?? "application/json") === "application/json",
);
const withBody = routes.filter((route) => route.body);

/** What is wrong with the `kind` examples of `documented`: each route's missing example or its schema's refusal. */
function badExamples(documented: typeof routes, kind: "request" | "response"): string[] {
  return documented.flatMap((route) => {
    const example = route.examples?.[kind];
    if (example === undefined) return [`${name(route)}: no ${kind} example`];
    const result = (kind === "request" ? route.body : route.response)!.safeParse(example);
    return result.success ? [] : [`${name(route)}: ${result.error.message}`];
  });
}

describe("the OpenAPI document", () => {
  it("holds every route of the app", () => {
    expect(routes.map(name)).toEqual(expect.arrayContaining(["POST /api/events/usage", "GET /api/exports/ledger.csv"]));
  });

  it("shows a response example for every JSON route, one its response schema accepts", () => {
    expect(badExamples(jsonRoutes, "response")).toEqual([]);
  });

  it("shows a request example for every route with a body, one its body schema accepts", () => {
    expect(badExamples(withBody, "request")).toEqual([]);
  });

  it("puts the examples where the reference shows them", () => {
    const usage = openApiDocument().paths?.["/api/events/usage"]?.post;
    const request = usage?.requestBody as { content: Record<string, { example?: unknown }> };
    expect(request.content["application/json"]?.example).toMatchObject({ requestId: expect.any(String) });
    const ok = usage?.responses?.["200"] as { content: Record<string, { example?: unknown }> };
    expect(ok.content["application/json"]?.example).toMatchObject({ results: [expect.any(Object)] });
  });

  it("documents each refusal under its code's status with the exact envelope, every code in the registry", () => {
    const problems: string[] = [];
    let documented = 0;
    for (const [path, item] of Object.entries(openApiDocument().paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const responses = (operation as { responses?: Record<string, unknown> }).responses ?? {};
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          const content = (response as { content?: Record<string, { examples?: Record<string, unknown> }> }).content;
          const examples = Object.entries(content?.["application/json"]?.examples ?? {});
          if (examples.length === 0) problems.push(`${method} ${path} ${status}: no example`);
          for (const [key, example] of examples) {
            const value = (example as { value: { error: unknown; message: unknown; code: ErrorCode } }).value;
            const entry = ERROR_CODES[value.code];
            if (!entry) problems.push(`${method} ${path} ${status}: ${value.code} is not in lib/errors.ts`);
            else if (entry.status !== Number(status))
              problems.push(`${method} ${path}: ${value.code} is not ${status}`);
            if (key !== value.code || typeof value.error !== "string" || typeof value.message !== "string") {
              problems.push(`${method} ${path} ${status}: ${key} is not an {error, message, code} envelope`);
            }
            documented += 1;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(documented).toBeGreaterThan(routes.length);
  });

  it("shows the claim's own refusals, with the contract's exact texts", () => {
    const claim = openApiDocument().paths?.["/api/referral-fees/claim"]?.post?.responses ?? {};
    const examples = (status: string) =>
      (claim[status] as { content: Record<string, { examples: Record<string, { value: unknown }> }> }).content[
        "application/json"
      ]!.examples;
    expect(examples("400").nothing_to_claim?.value).toEqual({
      error: "No accumulated referral fees to claim",
      message: "No accumulated referral fees to claim",
      code: "nothing_to_claim",
    });
    expect(examples("400").claim_cooldown?.value).toMatchObject({
      error: expect.stringMatching(/^Claims allowed once per week\. Next claim available \d{4}-\d\d-\d\dT/),
      nextClaimDate: expect.any(String),
    });
    expect(Object.keys(examples("409"))).toContain("claim_in_progress");
    expect(Object.keys(examples("503"))).toEqual(expect.arrayContaining(["rates_unavailable", "payouts_unavailable"]));
  });
});

/** Every `error` text the code gives a code, as a pattern: `${…}` in a template matches anything. */
function thrownTexts(): Map<string, RegExp[]> {
  const texts = new Map<string, RegExp[]>();
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : files(path);
      return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
    });
  const root = new URL("../..", import.meta.url).pathname;
  const call = /(?:super|new DomainError)\(\s*"([a-z_]+)",\s*(?:"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`)/g;
  for (const file of [...files(join(root, "lib")), ...files(join(root, "app"))]) {
    for (const match of readFileSync(file, "utf8").matchAll(call)) {
      const pattern =
        match[2] !== undefined
          ? escape(match[2])
          : match[3]!
              .split(/\$\{[^}]*\}/)
              .map(escape)
              .join(".+");
      texts.set(match[1]!, [...(texts.get(match[1]!) ?? []), new RegExp(`^${pattern}$`)]);
    }
  }
  return texts;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the registry's examples", () => {
  it("use an error text that the code really gives", () => {
    const texts = thrownTexts();
    expect(texts.get("nothing_to_claim")).toBeDefined();
    const wrong = Object.entries(ERROR_CODES)
      .filter(([code]) => texts.has(code))
      .filter(([code, entry]) => !texts.get(code)!.some((pattern) => pattern.test(entry.example.error)))
      .map(([code, entry]) => `${code}: "${entry.example.error}"`);
    expect(wrong).toEqual([]);
  });
});
