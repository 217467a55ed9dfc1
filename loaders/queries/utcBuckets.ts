// The UTC time buckets live in src/lib/utcBuckets.ts: the production pages' filters bucket in the browser with the same SQL.
export {utcBucketSql, utcWeekDateSql} from "../../src/lib/utcBuckets.js";
