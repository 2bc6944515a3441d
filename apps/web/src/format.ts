/** Display helpers: amounts in AIC (18 decimals) without floating point, short addresses, sizes. */

const WEI_PER_AIC = 10n ** 18n;

/** `1500000000000000000` -> `1.5`; at most `decimals` fraction digits, trailing zeros dropped. */
export function formatAic(wei: string | bigint, decimals = 4): string {
  const value = typeof wei === 'bigint' ? wei : BigInt(wei);
  const whole = value / WEI_PER_AIC;
  const fraction = (value % WEI_PER_AIC).toString().padStart(18, '0').slice(0, decimals).replace(/0+$/, '');
  const wholeText = whole.toLocaleString('en-US');
  if (fraction === '' && whole === 0n && value > 0n) return `< 0.${'0'.repeat(decimals - 1)}1`;
  return fraction === '' ? wholeText : `${wholeText}.${fraction}`;
}

export function shortHex(hex: string, keep = 6): string {
  return hex.length <= keep * 2 + 2 ? hex : `${hex.slice(0, keep + 2)}…${hex.slice(-keep)}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}
