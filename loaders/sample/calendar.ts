// Fixed dates: the sample never depends on today's date.
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const WEEKS = 10;
/** Exclusive end: the last day of data is 2026-11-20 (a Friday). */
export const DATA_END = Date.UTC(2026, 10, 21);
/** 2026-09-12, a Saturday; week w runs from weekStart(w) for seven days. */
export const DATA_START = DATA_END - WEEKS * WEEK_MS;

export const weekStart = (week: number): number => DATA_START + week * WEEK_MS;
export const weekOf = (ms: number): number => Math.floor((ms - DATA_START) / WEEK_MS);
export const at = (week: number, days: number, hours = 0): number =>
  weekStart(week) + days * DAY_MS + hours * 3_600_000;
export const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();
export const compactDate = (ms: number): string => iso(ms).slice(0, 10).replaceAll("-", "");
export const isWeekend = (ms: number): boolean => [0, 6].includes(new Date(ms).getUTCDay());
