/**
 * The candidate closest to a mistyped word (`--modle` -> `--model`, `sav` -> `save`), or undefined
 * when none is close enough to be what the user meant: a wrong guess is worse than none.
 */
export function nearestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const bare = word.replace(/^-+/, '');
  // Short words need a near match (one edit); longer ones allow a third of their length.
  const allowed = Math.max(1, Math.floor(bare.length / 3));
  if (bestDistance <= allowed) return best;
  // A prefix (`--prov` for `--provider`) is what a person abbreviating meant.
  const prefixes = candidates.filter((candidate) => bare.length >= 2 && candidate.startsWith(word));
  return prefixes.length === 1 ? prefixes[0] : undefined;
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn one word into the other. */
function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row += 1) {
    for (let column = 1; column < columns; column += 1) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let value = Math.min(
        table[row - 1]![column]! + 1,
        table[row]![column - 1]! + 1,
        table[row - 1]![column - 1]! + cost,
      );
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1])
        value = Math.min(value, table[row - 2]![column - 2]! + 1);
      table[row]![column] = value;
    }
  }
  return table[rows - 1]![columns - 1]!;
}
