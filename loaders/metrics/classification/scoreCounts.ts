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
  if (scores.length !== positive.length) throw new RangeError(`scoreCounts: ${scores.length} scores but ${positive.length} labels`);
  let nPos = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i]) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(scores.length - nPos);
  for (let i = 0, p = 0, q = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) throw new RangeError(`scoreCounts: score ${i} is ${s}; every score must be a finite number`);
    if (positive[i]) pos[p++] = s;
    else neg[q++] = s;
  }
  return mergeSorted(pos.sort(), neg.sort());
}

/** Walks two ascending arrays from their ends, emitting each distinct score once, highest first. */
function mergeSorted(pos: Float64Array, neg: Float64Array): ScoreCounts {
  const scores = new Float64Array(pos.length + neg.length);
  const positives = new Float64Array(scores.length);
  const negatives = new Float64Array(scores.length);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let k = -1;
  while (i >= 0 || j >= 0) {
    const s = j < 0 || (i >= 0 && pos[i] >= neg[j]) ? pos[i] : neg[j];
    scores[++k] = s;
    while (i >= 0 && pos[i] === s) positives[k]++, i--;
    while (j >= 0 && neg[j] === s) negatives[k]++, j--;
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
    if (!Number.isFinite(g.score)) throw new RangeError(`scoreCountsFromGroups: score ${g.score} is not a finite number`);
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
  return {scores: Float64Array.from(scores), positives: Float64Array.from(positives), negatives: Float64Array.from(negatives)};
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
