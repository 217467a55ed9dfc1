import {writeParquetToStdout} from "../../../loaders/explore/export.js";

await writeParquetToStdout("predictions");
