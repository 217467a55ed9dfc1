// npm run docs: regenerates docs/formats.md from the canonical table specs.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {formatsMarkdown} from "../loaders/schema/formatsDoc.js";
import {projectRoot} from "../loaders/workspace/config.js";

writeFileSync(join(projectRoot, "docs", "formats.md"), formatsMarkdown());
