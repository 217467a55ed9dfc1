// When this site was built. scripts/pipeline.ts writes this data file afresh before every build and
// preview (freshPages in loaders/pages/registry.ts), so Framework runs this loader only when its output
// is missing; the time is always the build's own, the only data file that differs between two builds
// of the same inputs.
process.stdout.write(JSON.stringify({built_at: new Date().toISOString()}));
