import {writePage} from "../../loaders/pages/writePage.js";

await writePage("trace-cells");
