// Real tool outputs under test/fixtures/real/, read as bytes so a test can drop them into a workspace.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {projectRoot} from "../../../loaders/workspace/config.js";

export const real = (path: string): string => readFileSync(join(projectRoot, "test", "fixtures", "real", path), "utf8");
