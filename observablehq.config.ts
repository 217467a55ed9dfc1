// Observable Framework configuration: https://observablehq.com/framework/config
// The built site must open from any static host with no network: no web fonts, no search index,
// no DuckDB extensions (they are downloaded at build time); links are relative (Framework's default).

import {notebookPages} from "./loaders/explore/notebooks.js";

interface Page {
  name: string;
  path: string;
}

// Add a page here when you add src/<name>.md; the sidebar lists pages in this order.
const pages: Page[] = [
  {name: "Overview", path: "/"},
  {name: "Capability brief", path: "/brief"},
  {name: "Data quality", path: "/data-quality"},
  {name: "Eval triage", path: "/eval-triage"},
  {name: "Model bake-off", path: "/bakeoff"},
  {name: "Cost–quality frontier", path: "/frontier"},
  {name: "Launch gate", path: "/launch-gate"},
  {name: "Online experiments", path: "/experiments"},
  {name: "Classifiers & guardrails", path: "/classifiers"},
  {name: "LLM judges", path: "/judges"},
  {name: "Traces", path: "/traces"},
  {name: "User corrections", path: "/corrections"},
  {name: "Drift", path: "/drift"},
  {name: "Safety review", path: "/safety"},
  {name: "Explore", path: "/explore"}
];

/**
 * The site's icon, three bars of a chart on the workbench's dark teal, as a data URL: no request. In
 * base64, because Framework escapes a head link's URL again, which broke a percent-encoded SVG.
 */
const ICON = `data:image/svg+xml;base64,${Buffer.from(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f4e5a"/><path d="M4 12V8M8 12V4M12 12V7" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>`
).toString("base64")}`;

const landOnTarget = `
const id = decodeURIComponent(location.hash.slice(1));
if (id) {
  const observer = new ResizeObserver(() => {
    const target = document.getElementById(id);
    if (!target) return;
    target.classList.add("landed");
    target.scrollIntoView({block: "start"});
  });
  const release = () => observer.disconnect();
  for (const type of ["wheel", "touchstart", "keydown", "mousedown"]) addEventListener(type, release, {once: true, passive: true});
  addEventListener("DOMContentLoaded", () => observer.observe(document.body));
}`;

function notebookSection(): {name: string; open: boolean; pages: Page[]}[] {
  const notebooks = notebookPages("src");
  return notebooks.length > 0 ? [{name: "Notebooks", open: true, pages: notebooks}] : [];
}

export default {
  root: "src",
  // Tests build into temporary folders; everyone else gets dist/.
  output: process.env.WORKBENCH_OUTPUT ?? "dist",
  title: "AI PM Workbench",
  // The workspace's notebooks, copied into src/notebooks/ by the build (loaders/explore/notebooks.ts).
  pages: [...pages, ...notebookSection()],
  pager: false,
  search: false,
  // Links end in .html, so pages also work from hosts that do not map /page to /page.html.
  preserveExtension: true,
  style: "style.css",
  // The default is a Google Fonts stylesheet.
  globalStylesheets: [],
  // null, not false: false still installs the extension (from extensions.duckdb.org) without loading it.
  duckdb: {extensions: {json: null, parquet: null}},
  // A link to #id (from home or the brief) must land on its element, but Framework renders cells after
  // the browser has scrolled, so the target moves down as the content above it appears. This keeps it
  // aligned whenever the page changes size, until the reader scrolls, clicks or types, and marks it for
  // the :target style. No time limit: on a slow machine cells still render after any fixed one (a 15 s
  // limit left safety.html#open-items 2,123 px down), and Framework marks no cell that awaits its data,
  // so "finished rendering" cannot be told from the page; only the reader's own move ends it.
  // The icon is inline: without one, Chromium asks every origin for /favicon.ico, which the site does not
  // have (a 404 and a console error on every first visit).
  head: `<link rel="icon" href="${ICON}"><script type="module">${landOnTarget}</script>`,
  // The default footer carries the build date, which makes every build differ.
  footer: "AI PM Workbench · built from local files; no data leaves this page."
};
