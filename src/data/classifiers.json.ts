import {classifiers} from "../../loaders/queries/classifiers.js";
import {writeJson} from "../../loaders/queries/output.js";

await writeJson(classifiers);
