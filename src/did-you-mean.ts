// "Did you mean" for a mistyped command, option or value: the nearest candidate within two edits.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
};

/** `; did you mean X?` for the one candidate within two edits of `word` (the nearest), else ''. */
export const didYouMean = (word: string, candidates: readonly string[]): string => {
  const scored = candidates.map((c) => ({ c, d: distance(word, c) })).filter((x) => x.d <= 2).sort((x, y) => x.d - y.d);
  return scored.length > 0 ? `; did you mean ${scored[0]!.c}?` : '';
};
