// npm run preview: serves the built site (dist/, or WORKBENCH_OUTPUT) on 127.0.0.1 as a plain static
// host would, and prints its address. PORT picks another port. It serves what the last build wrote;
// npm run dev is the live-reloading preview while editing.
import {existsSync} from "node:fs";
import {join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {serveStatic} from "../test/browser/server.js";

export const PREVIEW_PORT = 4173;

async function main() {
  const root = resolve(fileURLToPath(new URL("..", import.meta.url)), process.env.WORKBENCH_OUTPUT ?? "dist");
  if (!existsSync(join(root, "index.html"))) {
    console.error(`${root} has no index.html: run npm run build first.`);
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? PREVIEW_PORT);
  try {
    const server = await serveStatic(root, {port});
    console.log(`Serving ${root} at ${server.origin}/ — open it in a browser; Ctrl-C stops.`);
  } catch (error) {
    console.error(
      `cannot serve on port ${port}: ${(error as Error).message}. Set PORT to a free port (PORT=4174 npm run preview).`
    );
    process.exit(1);
  }
}

// Imported by scripts/build.ts for the port alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
