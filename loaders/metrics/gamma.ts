// Moved to src/lib/metrics/ with the χ² test that needs it; re-exported here for the loaders that import it from this path.
export * from "../../src/lib/metrics/gamma.js";
