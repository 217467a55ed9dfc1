import {writeJson} from "../../loaders/queries/output.js";
import {launchGate} from "../../loaders/queries/launchGate.js";

await writeJson(launchGate);
