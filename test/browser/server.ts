// A static file server for a built site, as a plain static host would serve it: /foo is /foo.html
// (Framework's clean URLs), /dir/ is /dir/index.html, anything else missing is a 404. No redirect
// from /dir to /dir/: a page served there would resolve its relative URLs against the wrong folder.
import {createReadStream, readdirSync, statSync, type Stats} from "node:fs";
import {createServer} from "node:http";
import type {AddressInfo} from "node:net";
import {extname, join, relative, resolve, sep} from "node:path";

export const mimeTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tsv": "text/tab-separated-values; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".arrow": "application/vnd.apache.arrow.file",
  ".parquet": "application/vnd.apache.parquet",
  ".zip": "application/zip"
};

export interface StaticServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a file of size bytes, as [start, end] inclusive; undefined if unsatisfiable or several. */
export function byteRange(header: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  const [start, end] =
    m[1] === ""
      ? [Math.max(0, size - Number(m[2])), size - 1]
      : [Number(m[1]), m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1)];
  return start <= end && start < size ? [start, end] : undefined;
}

/**
 * Serves the folder root on 127.0.0.1, on a free port unless one is given. Like the static hosts the site is published to,
 * it answers a single Range request with 206 and those bytes (the Explore page reads Parquet files so);
 * ranges: false serves as a host that ignores them, with 200 and the whole file.
 */
export async function serveStatic(
  root: string,
  {ranges = true, port = 0}: {ranges?: boolean; port?: number} = {}
): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer((request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, {allow: "GET, HEAD"}).end();
      return;
    }
    const found = findFile(base, new URL(request.url ?? "/", "http://localhost").pathname);
    if (!found) {
      response.writeHead(404, {"content-type": "text/plain; charset=utf-8"}).end(`404: ${request.url}\n`);
      return;
    }
    const type = mimeTypes[extname(found.path).toLowerCase()] ?? "application/octet-stream";
    const range = ranges && request.headers.range ? byteRange(request.headers.range, found.stats.size) : undefined;
    if (range) {
      const [start, end] = range;
      response.writeHead(206, {
        "content-type": type,
        "content-length": end - start + 1,
        "content-range": `bytes ${start}-${end}/${found.stats.size}`,
        "cache-control": "no-store"
      });
      if (request.method === "HEAD") response.end();
      else createReadStream(found.path, {start, end}).pipe(response);
      return;
    }
    response.writeHead(200, {
      "content-type": type,
      "content-length": found.stats.size,
      "cache-control": "no-store",
      ...(ranges ? {"accept-ranges": "bytes"} : {})
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(found.path).pipe(response);
  });
  await new Promise<void>((done, fail) => server.once("error", fail).listen(port, "127.0.0.1", done));
  const address = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((done, fail) => server.close((error) => (error ? fail(error) : done())))
  };
}

/** The file a static host serves for pathname; with cleanUrls false, as a host that does not add .html. */
export function findFile(
  base: string,
  pathname: string,
  {cleanUrls = true} = {}
): {path: string; stats: Stats} | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const path = join(base, decoded);
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  const candidates = decoded.endsWith("/") ? [join(path, "index.html")] : cleanUrls ? [path, `${path}.html`] : [path];
  for (const candidate of candidates) {
    const stats = statSync(candidate, {throwIfNoEntry: false});
    if (stats?.isFile()) return {path: candidate, stats};
  }
  return undefined;
}

/**
 * The URL path of every page in a built site: each .html file but 404.html and those under
 * Framework's own _-prefixed folders (_observablehq, _npm, _file, _import…): "/" for index.html,
 * "/dir/" for dir/index.html, "/page.html" for page.html (so that links resolve as on any host).
 */
export function listPages(root: string): string[] {
  return readdirSync(root, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((file) => file !== "404.html" && !file.split("/").some((part) => part.startsWith("_")))
    .map((file) => `/${file.replace(/(^|\/)index\.html$/, "$1")}`)
    .sort();
}
