// A page opens on the slice a link asks for: ?feature=support-chat, ?suite=…, ?after=<run id>,
// ?model=… (the capability brief links each of its figures this way). A value the page does not
// offer is ignored, and the page opens on its usual default.
export function linked<T>(
  name: string,
  options: readonly T[],
  key: (option: T) => string = (option) => String(option)
): T | undefined {
  const wanted = new URLSearchParams(globalThis.location?.search ?? "").get(name);
  return wanted === null ? undefined : options.find((option) => key(option) === wanted);
}
