/** Token ids with a fixed meaning in every vocabulary. */
export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
export const SEPARATOR_ID = 2;
export const RESERVED_TOKENS = ['<pad>', '<unk>', '<sep>'] as const;

/**
 * The `lowercase-words/1` tokenizer: Unicode-lower-cased, split on anything that is not a letter or a digit.
 * Written into the manifest by name, so a model serving the dataset tokenizes the same way.
 */
export function tokenizeText(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

/**
 * A vocabulary from token lists: the reserved tokens, then tokens seen at least `minCount` times, most frequent
 * first (ties alphabetical, so the result does not depend on input order), at most `maxSize` entries in all.
 */
export function buildVocabulary(documents: readonly (readonly string[])[], maxSize: number, minCount = 1): string[] {
  const counts = new Map<string, number>();
  for (const tokens of documents) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  const ranked = [...counts.entries()]
    .filter(([, n]) => n >= minCount)
    .sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0))
    .map(([t]) => t);
  return [...RESERVED_TOKENS, ...ranked].slice(0, Math.max(RESERVED_TOKENS.length, maxSize));
}

/**
 * Token ids of one text, or of a pair joined by the separator, truncated and right-padded with PAD_ID to
 * `maxTokens` (for a pair, each text keeps at most half of the room left after the separator).
 */
export function encodeText(
  vocabularyIndex: ReadonlyMap<string, number>,
  maxTokens: number,
  text: readonly string[],
  pair?: readonly string[],
): Int32Array {
  const ids = (tokens: readonly string[]) => tokens.map((t) => vocabularyIndex.get(t) ?? UNKNOWN_ID);
  const out = new Int32Array(maxTokens);
  if (pair === undefined) {
    out.set(ids(text).slice(0, maxTokens));
    return out;
  }
  const half = Math.floor((maxTokens - 1) / 2);
  const first = ids(text).slice(0, Math.max(half, maxTokens - 1 - pair.length));
  const second = ids(pair).slice(0, maxTokens - 1 - first.length);
  out.set([...first, SEPARATOR_ID, ...second].slice(0, maxTokens));
  return out;
}
