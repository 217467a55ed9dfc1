import {writeParquetToStdout} from "../../../loaders/explore/export.js";

await writeParquetToStdout("corrections");
