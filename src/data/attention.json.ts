import {attention} from "../../loaders/queries/attention.js";
import {writeJson} from "../../loaders/queries/output.js";

await writeJson(attention);
