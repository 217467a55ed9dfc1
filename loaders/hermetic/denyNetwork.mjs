// @ts-check
// Preload that makes every fetch to another host fail with a message naming the URL and the fix.
// Framework downloads with fetch; without this, a build that needs the network would pass on a
// machine that reaches the npm registry and fail offline. Plain JavaScript, because loading a .ts
// preload through tsx hangs Framework's own tsx registration (observablehq.config.ts) on a cold
// tsx cache. scripts/build.ts preloads it into observable build and, through NODE_OPTIONS, into every
// data loader. WORKBENCH_ALLOWED_HOSTS (comma-separated) lets through the one host a build may reach
// on purpose: the model server of the brief's optional drafting, set by the build when a key is.
const fetchLocally = globalThis.fetch;
const localHosts = ["127.0.0.1", "localhost", "[::1]"];
const allowedHosts = (process.env.WORKBENCH_ALLOWED_HOSTS ?? "")
  .split(",")
  .map((h) => h.trim().toLowerCase())
  .filter(Boolean);

/** @param {URL} url */
function advice(url) {
  if (url.hostname === "extensions.duckdb.org")
    return "DuckDB extensions cannot be self-hosted here: set the extension to null in observablehq.config.ts.";
  if (url.hostname === "cdn.jsdelivr.net" || url.hostname === "registry.npmjs.org") {
    return "Install the package (package.json) and add it to the packages loaders/hermetic/seedNpmCache.ts seeds.";
  }
  return "A build may read only local files.";
}

/** @type {typeof fetch} */
globalThis.fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input);
  if (
    localHosts.includes(url.hostname) ||
    allowedHosts.includes(url.host.toLowerCase()) ||
    allowedHosts.includes(url.hostname.toLowerCase())
  )
    return fetchLocally(input, init);
  throw new Error(`! hermetic build: refused to fetch ${url.href}. ${advice(url)}`);
};
