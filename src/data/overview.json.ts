import {overview} from "../../loaders/queries/overview.js";
import {writeJson} from "../../loaders/queries/output.js";

await writeJson(overview);
