// Brier score, as scikit-learn's brier_score_loss: the mean squared difference between the score
// (probability of the positive class) and the outcome (1 positive, 0 negative). Null when empty.
import type {ScoreCounts} from "./scoreCounts.js";

export function brierScore(counts: ScoreCounts): number | null {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < counts.scores.length; i++) {
    const s = counts.scores[i];
    sum += counts.positives[i] * (1 - s) ** 2 + counts.negatives[i] * s ** 2;
    n += counts.positives[i] + counts.negatives[i];
  }
  return n ? sum / n : null;
}
