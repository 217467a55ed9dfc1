// npm run bench [-- area…]: runs every scripts/bench/<area>.bench.ts and prints each result against
// its target. Large inputs are generated once into .workbench/bench (deterministic, seeded).
import {readdirSync} from "node:fs";
import {join} from "node:path";
import {projectRoot} from "../loaders/workspace/config.js";
import type {Bench, BenchResult} from "./bench/types.js";

const only = process.argv.slice(2);
const dir = join(projectRoot, "scripts", "bench");
const areas = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(".bench.ts", ""))
  .filter((a) => !only.length || only.includes(a));
const scaleDir = join(projectRoot, ".workbench", "bench");
const results: BenchResult[] = [];
for (const area of areas.sort()) {
  const bench = (await import(join(dir, `${area}.bench.ts`))).default as Bench;
  console.error(`— ${area}`);
  results.push(...(await bench({scaleDir})));
}
let failed = 0;
let informational = 0;
const shown = (v: number, of: BenchResult["target"]["of"]) =>
  of === "ratio"
    ? `${v.toFixed(2)}×`
    : of === "bytes"
      ? `${(v / 1e6).toFixed(2)} MB`
      : of === "requests"
        ? `${v}`
        : `${v.toFixed(2)} s`;
const bound = (v: number, of: BenchResult["target"]["of"]) =>
  of === "ratio" ? `${v}×` : of === "bytes" ? `${v / 1e6} MB` : of === "requests" ? `${v} requests` : `${v} s`;
for (const r of results) {
  const ok = r.value <= r.target.max;
  if (r.informational) informational++;
  else if (!ok) failed++;
  const ref = r.reference ? ` vs ${r.reference.name} ${r.reference.seconds.toFixed(2)} s` : "";
  const verdict = r.informational ? "info" : ok ? "ok  " : "MISS";
  const against = r.informational
    ? `read against ${bound(r.target.max, r.target.of)}, not a target`
    : `target ≤ ${bound(r.target.max, r.target.of)}`;
  console.log(
    `${verdict} ${r.name}: ${r.seconds.toFixed(2)} s${ref} → ${shown(r.value, r.target.of)} (${against})${r.note ? ` — ${r.note}` : ""}`
  );
}
const targets = results.length - informational;
console.log(
  `${targets - failed} within target, ${failed} missed${informational ? ` (and ${informational} figures printed for information)` : ""}`
);
