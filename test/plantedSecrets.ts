// One of each kind the redaction detectors know, written as a leak would write it: the tests that
// plant secrets in a workspace and look for them afterwards share this one list.
export const plantedSecrets = [
  "AKIAIOSFODNN7EXAMPLE",
  "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "xoxb-1234567890-abcdefghij",
  "sk-proj-abcdefghijklmnop1234",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
  "Bearer abc123def456ghi789jkl",
  "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
  "GB82 WEST 1234 5698 7654 32",
  "3782 822463 10005",
  "+44 20 7946 0958",
  "jane.doe@example.com",
  "192.168.1.20"
] as const;

/**
 * What of each planted secret to search for verbatim in built files: the secret part alone (the word
 * "Bearer" and a key block's armour lines may well appear in a page), whatever escaping it went through.
 */
export const plantedNeedles = plantedSecrets.map((s) =>
  s.startsWith("Bearer ") ? s.slice("Bearer ".length) : s.includes("PRIVATE KEY") ? s.split("\n")[1] : s
);
