import { AicError } from '@aic/core';
import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult } from '../output.ts';

/** The devnet `npm start` runs: its JSON-RPC port also answers POST /faucet. */
export const DEFAULT_DEVNET_URL = 'http://127.0.0.1:8545';

interface FaucetOptions {
  devnetUrl?: string;
}

/** `aic faucet <address> [--devnet-url <url>]`: AIC and gas for a new member's account from a local devnet. */
export function registerFaucetCommand(program: Command, io: CliIo): void {
  program
    .command('faucet')
    .description('get AIC and gas for an address from a devnet faucet (once per address per hour)')
    .argument('<address>', 'the account to fund (0x…)')
    .option('--devnet-url <url>', `the devnet's URL (default $AIC_DEVNET_URL or ${DEFAULT_DEVNET_URL})`)
    .action(action(io, requestFaucet));
}

interface Grant {
  address: string;
  aicWei: string;
  gasWei: string;
  txHashes: string[];
}

async function requestFaucet(ctx: CommandContext, options: FaucetOptions, address: string): Promise<void> {
  const base = (options.devnetUrl ?? ctx.io.env.AIC_DEVNET_URL ?? DEFAULT_DEVNET_URL).replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/faucet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new AicError('FAUCET_UNREACHABLE', `no devnet answered at ${base}`, { cause: error });
  }
  const body = (await response.json().catch(() => undefined)) as
    | (Grant & { code?: string; message?: string; details?: Record<string, unknown> })
    | undefined;
  if (!response.ok || body === undefined) {
    const code = typeof body?.code === 'string' && /^FAUCET_[A-Z_]+$/.test(body.code) ? body.code : 'FAUCET_FAILED';
    throw new AicError(code, body?.message ?? `the devnet answered HTTP ${response.status}`, {
      details: { status: response.status, ...(body?.details ?? {}) },
    });
  }
  printResult(ctx.io, ctx.global.json, body, (g) =>
    [
      `funded    ${g.address}`,
      `AIC       ${formatEther(g.aicWei)}`,
      `gas (ETH) ${formatEther(g.gasWei)}`,
      `txs       ${g.txHashes.join(' ')}`,
    ].join('\n'),
  );
}

/** 18-decimal fixed point as a decimal string (no viem import: the CLI starts fast). */
function formatEther(wei: string): string {
  const v = BigInt(wei);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  return frac === '' ? whole.toString() : `${whole}.${frac}`;
}
