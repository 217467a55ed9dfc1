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
for (const r of results) {
  const ok = r.value <= r.target.max;
  if (!ok) failed++;
  const ref = r.reference ? ` vs ${r.reference.name} ${r.reference.seconds.toFixed(2)} s` : "";
  const value =
    r.target.of === "ratio"
      ? `${r.value.toFixed(2)}×`
      : r.target.of === "bytes"
        ? `${(r.value / 1e6).toFixed(2)} MB`
        : `${r.value.toFixed(2)} s`;
  const target =
    r.target.of === "ratio"
      ? `${r.target.max}×`
      : r.target.of === "bytes"
        ? `${r.target.max / 1e6} MB`
        : `${r.target.max} s`;
  console.log(
    `${ok ? "ok  " : "MISS"} ${r.name}: ${r.seconds.toFixed(2)} s${ref} → ${value} (target ≤ ${target})${r.note ? ` — ${r.note}` : ""}`
  );
}
console.log(`${results.length - failed} within target, ${failed} missed`);
