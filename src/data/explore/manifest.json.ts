import {writeManifestToStdout} from "../../../loaders/explore/export.js";

await writeManifestToStdout();
