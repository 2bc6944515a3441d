import { formatUnits, parseUnits } from 'viem';

/** AIC has 18 decimals, like ether. */
export const AIC_DECIMALS = 18;

/** Parses a decimal AIC amount ("1.5") into wei. */
export function aicToWei(amount: string | number): bigint {
  return parseUnits(String(amount), AIC_DECIMALS);
}

/** Formats wei as a decimal AIC string ("1.5"). */
export function weiToAic(wei: bigint): string {
  return formatUnits(wei, AIC_DECIMALS);
}

/** Basis points: 10,000 = 100 %. */
export const BPS_DENOMINATOR = 10_000n;
