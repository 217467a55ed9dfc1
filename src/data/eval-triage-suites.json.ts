import {writePage} from "../../loaders/pages/writePage.js";

await writePage("eval-triage-suites");
