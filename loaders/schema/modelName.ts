// The one definition of a model's name lives in src/lib, where the pages can import it too (the
// bake-off's filtered slice matches options to production's requests by it).
export {SNAPSHOT_SUFFIX, canonicalModel, canonicalModelSql} from "../../src/lib/modelName.js";
