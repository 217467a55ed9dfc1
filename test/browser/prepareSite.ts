// node scripts/compiled.mjs test/browser/prepareSite.ts: prepare() (scripts/pipeline.ts) for buildSite in
// site.ts and prepareData in test/integration/siteBuild.ts, the warehouse and page data of the workspace
// WORKBENCH_WORKSPACE names, run compiled as npm run build runs it: under tsx every start transformed or
// looked up all of loaders/ again.
import {prepare} from "../../scripts/pipeline.js";

await prepare();
