// node scripts/compiled.mjs <script.ts> [args]: runs a TypeScript script as one JavaScript file compiled
// by esbuild, kept under .workbench/bundle/ and compiled again only when one of its source files
// changed (by content hash). `npm run build` runs this way: under tsx an unchanged build spent more on
// tsx's start (a second node process, every module transformed or looked up in its cache) than on
// its data work. Packages stay outside the bundle, loaded from node_modules as under tsx.
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {basename, dirname, join, relative, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [script, ...args] = process.argv.slice(2);
if (!script?.endsWith(".ts")) {
  console.error("usage: node scripts/compiled.mjs <script.ts> [args]");
  process.exit(2);
}
const entry = resolve(root, script);
const out = join(root, ".workbench", "bundle", `${basename(entry, ".ts")}.mjs`);
const record = `${out}.inputs.json`;

const sha = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Current when the bundle exists and every source file it was compiled from has the bytes it had. */
function current() {
  if (!existsSync(out) || !existsSync(record)) return false;
  try {
    const {inputs} = JSON.parse(readFileSync(record, "utf8"));
    return Object.entries(inputs).every(
      ([file, hash]) => existsSync(join(root, file)) && sha(join(root, file)) === hash
    );
  } catch {
    return false;
  }
}

async function compile() {
  const {build} = await import("esbuild");
  // A module that finds files next to itself (import.meta.url, .dirname, .filename) must find them
  // next to its source, not next to the bundle: each such use is replaced by its source's own value.
  const metaOfSource = {
    name: "import-meta-of-source",
    setup(b) {
      b.onLoad({filter: /\.ts$/}, (args) => {
        const text = readFileSync(args.path, "utf8")
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        return {contents: text, loader: "ts"};
      });
    }
  };
  mkdirSync(dirname(out), {recursive: true});
  const temp = `${out}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [entry],
    outfile: temp,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    metafile: true,
    logLevel: "error",
    plugins: [metaOfSource]
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .map((file) => relative(root, resolve(root, file)))
      .sort()
      .map((file) => [file, sha(join(root, file))])
  );
  renameSync(temp, out);
  writeFileSync(record, JSON.stringify({inputs}));
}

if (!current()) await compile();
// The script reads its arguments (--strict) from process.argv as it would under tsx.
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(out).href);
