import {experimentsPage} from "../../loaders/queries/experiments.js";
import {writeJson} from "../../loaders/queries/output.js";

await writeJson(experimentsPage);
