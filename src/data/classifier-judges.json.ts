import {writePage} from "../../loaders/pages/writePage.js";

await writePage("classifier-judges");
