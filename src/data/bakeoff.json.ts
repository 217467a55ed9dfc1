import {writeJson} from "../../loaders/queries/output.js";
import {bakeoff} from "../../loaders/queries/bakeoff.js";

await writeJson(bakeoff);
