/** Which PoV validators to restart as strays (pov-chain.ts), apart so that its unit test loads no chain. */

/**
 * The validators (indices) whose block hash at one height is not the one most of them hold; none when no hash has
 * a strict majority (then nobody can tell the stray: wait and compare again).
 */
export function strayValidators(hashes: readonly string[]): number[] {
  const votes = new Map<string, number>();
  for (const h of hashes) votes.set(h, (votes.get(h) ?? 0) + 1);
  const majority = [...votes.entries()].find(([, n]) => 2 * n > hashes.length)?.[0];
  if (majority === undefined) return [];
  return hashes.flatMap((h, i) => (h === majority ? [] : [i]));
}
