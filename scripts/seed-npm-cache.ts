// npx tsx scripts/seed-npm-cache.ts [root]: fill Framework's npm cache from node_modules (root defaults to src).
import {seedNpmCache} from "../loaders/hermetic/seedNpmCache.js";

const root = process.argv[2] ?? "src";
try {
  const seeded = await seedNpmCache(root);
  const built = seeded.filter((p) => p.built).length;
  console.error(
    `${seeded.length} packages in ${root}/.observablehq/cache/_npm (${built} built, ${seeded.length - built} already current)`
  );
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
