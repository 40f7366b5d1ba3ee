/**
 * A share link pasted into a chat app or a social network unfurls: the crawler reads the page's Open Graph and
 * Twitter tags (in the document's head, as Next.js serves them to crawlers) and fetches the image they name, which
 * must be an absolute URL on the configured site. And every page names the site's icons.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { baseUrl, operatorForFile } from "./dashboard-support";

const op = operatorForFile();
const CRAWLER = { "user-agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)" };

/** The content of each `<meta property|name="…">` in the head, entities decoded. */
async function headMeta(api: APIRequestContext, path: string): Promise<Map<string, string>> {
  const res = await api.get(path, { headers: CRAWLER });
  expect(res.status()).toBe(200);
  const head = /<head>([\s\S]*?)<\/head>/.exec(await res.text())?.[1] ?? "";
  const decode = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  const meta = new Map<string, string>();
  for (const tag of head.match(/<meta [^>]*>/g) ?? []) {
    const name = /(?:property|name)="([^"]+)"/.exec(tag)?.[1];
    const content = /content="([^"]*)"/.exec(tag)?.[1];
    if (name && content !== undefined) meta.set(name, decode(content));
  }
  return meta;
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test("a user's and a provider's share link unfurl with a title, a description and a 1200×630 PNG", async ({
  request,
}) => {
  const site = new URL(baseUrl());
  for (const kind of ["user", "provider"] as const) {
    const code = await op.createAccount({ kind });
    const meta = await headMeta(request, `/r/${code}`);
    expect(meta.get("og:title")).toBe("You are invited");
    expect(meta.get("og:description")).toContain(`referral code ${code}`);
    expect(meta.get("og:description")).toContain(
      kind === "provider" ? "the providers you refer" : "the users you refer",
    );
    expect(meta.get("description")).toBe(meta.get("og:description"));
    expect(meta.get("og:url")).toBe(`${site.origin}/r/${code}`);
    expect(meta.get("twitter:card")).toBe("summary_large_image");
    expect(meta.get("twitter:title")).toBe("You are invited");

    const image = meta.get("og:image")!;
    expect(image).toBe(`${site.origin}/og.png`);
    expect(meta.get("twitter:image")).toBe(image);
    expect(meta.get("og:image:width")).toBe("1200");
    expect(meta.get("og:image:height")).toBe("630");
    const png = await request.get(image, { headers: CRAWLER });
    expect(png.status()).toBe(200);
    expect(png.headers()["content-type"]).toBe("image/png");
    expect(pngSize(await png.body())).toEqual({ width: 1200, height: 630 });
  }
});

test("a link with an unknown code unfurls as not valid, without repeating what the link says", async ({ request }) => {
  const meta = await headMeta(request, "/r/usr_doesNotExist");
  expect(meta.get("og:title")).toBe("This invitation link is not valid");
  expect(meta.get("og:description")).toBe("No account has the referral code in this link.");
  expect(meta.get("og:image")).toBe(`${new URL(baseUrl()).origin}/og.png`);
  const odd = await headMeta(request, `/r/${encodeURIComponent('"><script>x</script>')}`);
  expect(odd.get("og:title")).toBe("This invitation link is not valid");
});

test("pages name the site's icons, and they are served", async ({ request }) => {
  const html = await (await request.get("/")).text();
  expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico" sizes="16x16 32x32 48x48"/);
  expect(html).toMatch(/<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml"/);
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect((await ico.body()).subarray(0, 4).equals(Buffer.from([0, 0, 1, 0]))).toBe(true);
  const svg = await request.get("/favicon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect(await svg.text()).toContain("<svg");
});
