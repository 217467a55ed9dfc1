// When this site was built. scripts/pipeline.ts drops this loader's cached output before every build
// and preview, so the time is always the build's own; it is the only data file that differs between
// two builds of the same inputs.
process.stdout.write(JSON.stringify({built_at: new Date().toISOString()}));
