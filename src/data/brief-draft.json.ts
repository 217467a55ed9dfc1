import {writeJson} from "../../loaders/queries/output.js";
import {briefDraft} from "../../loaders/queries/briefDraft.js";

await writeJson(briefDraft);
