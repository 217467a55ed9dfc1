import {writeJson} from "../../loaders/queries/output.js";
import {safetyPage} from "../../loaders/queries/safety.js";

await writeJson(safetyPage);
