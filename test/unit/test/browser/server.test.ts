import {mkdirSync, mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {afterAll, beforeAll, describe, expect, test} from "vitest";
import {isLocal, screenshotName} from "../../../browser/browser.js";
import {findFile, listPages, serveStatic, type StaticServer} from "../../../browser/server.js";

function site(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "workbench-site-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), {recursive: true});
    writeFileSync(join(root, name), content);
  }
  return root;
}

const dist = site({
  "index.html": "home",
  "data-quality.html": "dq",
  "404.html": "missing",
  "reports/index.html": "reports",
  "reports/weekly.html": "weekly",
  "_observablehq/client.js": "export {}",
  "_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm": "\0asm",
  "_file/x.arrow": "ARROW1"
});

describe("serveStatic(root)", () => {
  let server: StaticServer;
  beforeAll(async () => void (server = await serveStatic(dist)));
  afterAll(() => server.close());
  const get = (path: string) => fetch(`${server.origin}${path}`);

  test("listens on 127.0.0.1", () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("serves /page as /page.html and /dir/ as /dir/index.html", async () => {
    expect(await (await get("/data-quality")).text()).toBe("dq");
    expect(await (await get("/data-quality.html")).text()).toBe("dq");
    expect(await (await get("/")).text()).toBe("home");
    expect(await (await get("/reports/")).text()).toBe("reports");
  });

  test("answers with the MIME type of the extension, application/wasm for .wasm", async () => {
    expect((await get("/")).headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await get("/_observablehq/client.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await get("/_npm/@duckdb/duckdb-wasm@1.29.0/dist/duckdb-eh.wasm")).headers.get("content-type")).toBe(
      "application/wasm"
    );
    expect((await get("/_file/x.arrow")).headers.get("content-type")).toBe("application/vnd.apache.arrow.file");
  });

  test("answers 404 for missing files, folders without a slash and paths outside root", async () => {
    expect((await get("/nope")).status).toBe(404);
    expect((await get("/reports")).status).toBe(404);
    expect((await get("/%2e%2e/%2e%2e/etc/passwd")).status).toBe(404);
  });
});

describe("findFile(base, pathname, {cleanUrls})", () => {
  test("without clean URLs, only the exact file or a folder's index.html", () => {
    expect(findFile(dist, "/data-quality", {cleanUrls: false})).toBeUndefined();
    expect(findFile(dist, "/data-quality.html", {cleanUrls: false})?.path).toBe(join(dist, "data-quality.html"));
    expect(findFile(dist, "/reports/", {cleanUrls: false})?.path).toBe(join(dist, "reports", "index.html"));
  });

  test("finds nothing outside base", () => {
    expect(findFile(join(dist, "reports"), "/../index.html")).toBeUndefined();
    expect(findFile(join(dist, "reports"), "/%2e%2e/index.html")).toBeUndefined();
  });
});

describe("listPages(root)", () => {
  test("lists every page but 404.html and Framework's _ folders, as the URL a link would use", () => {
    expect(listPages(dist)).toEqual(["/", "/data-quality.html", "/reports/", "/reports/weekly.html"]);
  });
});

describe("screenshotName(path)", () => {
  test("names the index index and joins folders with dashes", () => {
    expect(screenshotName("/")).toBe("index");
    expect(screenshotName("/data-quality.html")).toBe("data-quality");
    expect(screenshotName("/reports/")).toBe("reports");
    expect(screenshotName("/reports/weekly.html")).toBe("reports-weekly");
  });
});

describe("isLocal(url, origin)", () => {
  const origin = "http://127.0.0.1:4321";
  test("is true for the origin, its blob: URLs and data: URLs only", () => {
    expect(isLocal(`${origin}/_npm/d3@7.9.0/a.js`, origin)).toBe(true);
    expect(isLocal(`blob:${origin}/5f0c`, origin)).toBe(true);
    expect(isLocal("data:text/plain,hi", origin)).toBe(true);
    expect(isLocal("https://cdn.jsdelivr.net/npm/d3/+esm", origin)).toBe(false);
    expect(isLocal("http://127.0.0.1:9999/", origin)).toBe(false);
  });
});
