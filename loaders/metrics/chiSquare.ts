// Moved to src/lib/metrics/ so the drift page recomputes a filtered slice's χ² test in the browser;
// re-exported here for the loaders that import it from this path.
export * from "../../src/lib/metrics/chiSquare.js";
