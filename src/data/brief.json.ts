import {writeJson} from "../../loaders/queries/output.js";
import {brief} from "../../loaders/queries/brief.js";

await writeJson(brief);
