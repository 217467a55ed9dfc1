// What a src/data/<name>.json.ts loader runs. In a build, scripts/pipeline.ts has already written every
// page's data into Framework's cache, so Framework starts no loader; a loader runs only on its own (a
// test, or a cache file removed during `npm run dev`) and then computes its page as the pipeline does.
import {openWarehouse} from "../warehouse/warehouse.js";
import {freshPages, pages} from "./registry.js";

export async function writePage(name: string): Promise<void> {
  const compute = pages[name] ?? freshPages[name];
  if (!compute) throw new Error(`no page named ${name} in loaders/pages/registry.ts`);
  const db = await openWarehouse();
  try {
    process.stdout.write(JSON.stringify(await compute(db, db.workspace)));
  } finally {
    db.close();
  }
}
