// Framework's standard library as the unit tests see it: only what a component imports at load time.
// A FileAttachment names a file of the built site, which a unit test has not built; its href is the name,
// and reading it fails, so a test passes what it reads itself (exploreDatabase's manifest and `open`).
export function FileAttachment(name: string) {
  const missing = () => Promise.reject(new Error(`unit tests have no site: FileAttachment(${JSON.stringify(name)})`));
  return {name, href: name, url: missing, json: missing};
}
