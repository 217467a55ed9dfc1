import {writeJson} from "../../loaders/queries/output.js";
import {evalTriage} from "../../loaders/queries/evalTriage.js";

await writeJson((db) => evalTriage(db));
