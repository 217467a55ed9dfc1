// The one input every score-based metric reads: the distinct scores, highest first, with how many
// positives and negatives carry each. Ties are grouped here, so every curve handles them the way
// scikit-learn's _binary_clf_curve does, and a warehouse can hand over GROUP BY score rows directly.
export interface ScoreCounts {
  /** Distinct scores in decreasing order. */
  readonly scores: Float64Array;
  /** Number of positive items with exactly that score. */
  readonly positives: Float64Array;
  /** Number of negative items with exactly that score. */
  readonly negatives: Float64Array;
}

export interface ScoreGroup {
  score: number;
  positives: number;
  negatives: number;
}

/** Counts per distinct score from one score and one truth value per item. */
export function scoreCounts(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): ScoreCounts {
  const n = scores.length;
  if (n !== positive.length) throw new RangeError(`scoreCounts: ${n} scores but ${positive.length} labels`);
  const values = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!Number.isFinite(s))
      throw new RangeError(`scoreCounts: score ${i} is ${s}; every score must be a finite number`);
    values[i] = s;
    labels[i] = positive[i] ? 1 : 0;
  }
  const [lo, hi, sortedLabels] = radixSortByScore(values, labels);
  return countDescending(new Float64Array(interleave(lo, hi).buffer), sortedLabels);
}

/**
 * LSD radix sort of doubles with their labels, 16 bits at a time, on the IEEE-754 bit patterns made
 * order-preserving (flip every bit of a negative number, only the sign bit of a positive one). Passes
 * where every key has the same digit are skipped: scores in [0, 1] share most exponent bits.
 */
function radixSortByScore(values: Float64Array, labels: Uint8Array): [Uint32Array, Uint32Array, Uint8Array] {
  const n = values.length;
  const words = new Uint32Array(values.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    const negative = h >>> 31;
    lo[i] = negative ? ~words[2 * i] >>> 0 : words[2 * i];
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  let lab: Uint8Array = labels;
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let lab2: Uint8Array = new Uint8Array(n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = pass % 2 ? 16 : 0;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(word[i] >>> shift) & 0xffff]++;
    if (n === 0 || counts[(word[0] >>> shift) & 0xffff] === n) continue;
    for (let d = 0, sum = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(word[i] >>> shift) & 0xffff]++;
      lo2[at] = lo[i];
      hi2[at] = hi[i];
      lab2[at] = lab[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [lab, lab2] = [lab2, lab];
  }
  for (let i = 0; i < n; i++) {
    const negative = !(hi[i] >>> 31);
    lo[i] = negative ? ~lo[i] >>> 0 : lo[i];
    hi[i] = negative ? ~hi[i] >>> 0 : (hi[i] & 0x7fffffff) >>> 0;
  }
  return [lo, hi, lab];
}

function interleave(lo: Uint32Array, hi: Uint32Array): Uint32Array {
  const words = new Uint32Array(lo.length * 2);
  for (let i = 0; i < lo.length; i++) {
    words[2 * i] = lo[i];
    words[2 * i + 1] = hi[i];
  }
  return words;
}

/** From ascending scores with labels: each distinct score once, highest first, with its counts. */
function countDescending(sorted: Float64Array, labels: Uint8Array): ScoreCounts {
  const scores = new Float64Array(sorted.length);
  const positives = new Float64Array(sorted.length);
  const negatives = new Float64Array(sorted.length);
  let k = -1;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i];
    if (k < 0 || scores[k] !== s) scores[++k] = s;
    if (labels[i]) positives[k]++;
    else negatives[k]++;
  }
  return {scores: scores.slice(0, k + 1), positives: positives.slice(0, k + 1), negatives: negatives.slice(0, k + 1)};
}

/** Counts per distinct score from grouped rows (e.g. SQL GROUP BY score), in any order, duplicates merged. */
export function scoreCountsFromGroups(groups: readonly ScoreGroup[]): ScoreCounts {
  const sorted = [...groups].sort((a, b) => b.score - a.score);
  const scores: number[] = [];
  const positives: number[] = [];
  const negatives: number[] = [];
  for (const g of sorted) {
    if (!Number.isFinite(g.score))
      throw new RangeError(`scoreCountsFromGroups: score ${g.score} is not a finite number`);
    const last = scores.length - 1;
    if (last >= 0 && scores[last] === g.score) {
      positives[last] += g.positives;
      negatives[last] += g.negatives;
    } else {
      scores.push(g.score);
      positives.push(g.positives);
      negatives.push(g.negatives);
    }
  }
  return {
    scores: Float64Array.from(scores),
    positives: Float64Array.from(positives),
    negatives: Float64Array.from(negatives)
  };
}

export function totals(counts: ScoreCounts): {positives: number; negatives: number} {
  let positives = 0;
  let negatives = 0;
  for (let i = 0; i < counts.scores.length; i++) {
    positives += counts.positives[i];
    negatives += counts.negatives[i];
  }
  return {positives, negatives};
}
