// Moved to src/lib/metrics/ so the corrections page recomputes a filtered slice's hot spots in the
// browser with the same interval; re-exported here for the loaders that import it from this path.
export {proportionDifference, type ProportionDifference} from "../../src/lib/metrics/proportionDifference.js";
