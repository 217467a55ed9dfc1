// Generates the sample workspace of the fictional product "Support Copilot".
//   npx tsx scripts/generate-sample.ts [--out data/sample] [--scale N] [--seed S]
// --scale N writes at least N eval results and N spans (for benchmarks: use another --out).
import {parseArgs} from "node:util";
import {DEFAULT_SEED} from "../loaders/sample/story.js";
import {writeWorkspace} from "../loaders/sample/writeWorkspace.js";

const usage = "usage: npx tsx scripts/generate-sample.ts [--out data/sample] [--scale N] [--seed S]";

function parseCli(argv: string[]): {out: string; scale?: number; seed: number | string} {
  const {values} = parseArgs({
    args: argv,
    options: {
      out: {type: "string", default: "data/sample"},
      scale: {type: "string"},
      seed: {type: "string"},
      help: {type: "boolean"}
    }
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (scale !== undefined && !(Number.isInteger(scale) && scale > 0))
    throw new Error(`--scale: expected a positive integer (rows of eval_results and of spans), got "${values.scale}"`);
  const seed = values.seed === undefined ? DEFAULT_SEED : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  return {out: values.out, scale, seed};
}

async function main(): Promise<void> {
  const {out, scale, seed} = parseCli(process.argv.slice(2));
  const started = performance.now();
  const written = await writeWorkspace(out, {seed, scale});
  const seconds = (performance.now() - started) / 1000;
  for (const f of written) process.stdout.write(`${f.file}\t${f.rows} rows\t${(f.bytes / 1e6).toFixed(2)} MB\n`);
  process.stdout.write(
    `wrote ${written.length} files to ${out} in ${seconds.toFixed(1)} s (seed ${seed}${scale ? `, scale ${scale}` : ""})\n`
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`generate-sample: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(1);
});
