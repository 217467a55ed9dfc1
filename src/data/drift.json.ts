import {writeJson} from "../../loaders/queries/output.js";
import {driftPage} from "../../loaders/queries/drift.js";

await writeJson(driftPage);
