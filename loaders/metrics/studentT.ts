// Student's t distribution lives in src/lib/metrics/ since the browser needs it too (one implementation).
export {studentTCdf, studentTQuantile} from "../../src/lib/metrics/studentT.js";
