import {writeJson} from "../../loaders/queries/output.js";
import {frontier} from "../../loaders/queries/frontier.js";

await writeJson((db) => frontier(db));
