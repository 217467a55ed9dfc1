import {writeJson} from "../../loaders/queries/output.js";
import {correctionsPage} from "../../loaders/queries/corrections.js";

await writeJson(correctionsPage);
