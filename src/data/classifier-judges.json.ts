import {classifierJudges} from "../../loaders/queries/classifierJudges.js";
import {writeJson} from "../../loaders/queries/output.js";

await writeJson(classifierJudges);
