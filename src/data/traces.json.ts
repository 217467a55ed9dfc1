import {writeJson} from "../../loaders/queries/output.js";
import {tracesPage} from "../../loaders/queries/traces.js";

await writeJson(tracesPage);
