// Wilson score interval for a binomial proportion: unlike the normal approximation it stays inside
// [0, 1] and behaves at small n and at rates near 0 or 1, where launch gates usually sit.
export const Z95 = 1.959963984540054;

export interface Rate {
  /** successes / n, or null when n = 0 (there is no rate to show). */
  rate: number | null;
  n: number;
  successes: number;
  low: number | null;
  high: number | null;
}

export function wilsonInterval(successes: number, n: number, z = Z95): Rate {
  if (!Number.isInteger(n) || n < 0 || successes < 0 || successes > n)
    throw new RangeError(`wilsonInterval: need 0 ≤ successes ≤ n, got ${successes}/${n}`);
  if (n === 0) return {rate: null, n, successes, low: null, high: null};
  const p = successes / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; floating point would leave 1e-16 of daylight.
  const low = successes === 0 ? 0 : Math.max(0, center - half);
  const high = successes === n ? 1 : Math.min(1, center + half);
  return {rate: p, n, successes, low, high};
}
