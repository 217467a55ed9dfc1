// The order classes are shown and counted in: numeric labels by value (so "2" comes before "10", as
// numpy sorts numbers), anything else by code point (as numpy sorts strings).
const numeric = (label: string) => label.trim() !== "" && Number.isFinite(Number(label));

export function sortLabels(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  if (unique.length && unique.every(numeric))
    return unique.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  return unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function allNumeric(labels: Iterable<string>): boolean {
  const unique = [...new Set(labels)];
  return unique.length > 0 && unique.every(numeric);
}
