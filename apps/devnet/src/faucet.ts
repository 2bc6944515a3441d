/**
 * The devnet faucet: a new member's account gets a fixed amount of AIC and of gas (native wei), at most once per
 * address per window and at most `maxPerWindow` grants in all per window. `createFaucet` holds the policy; the
 * transfer itself is injected (the devnet sends from its company dev account, in-process).
 */
import { AicError, aicToWei, isAicError } from '@aic/core';
import { createDevClients, type DevDeployment, type EmbeddedChain } from '@aic/ledger/devchain';
import { type Address, getAddress, isAddress } from 'viem';
import type { DevnetRoute } from './rpc-server.ts';

export const FAUCET_AIC = '1000';
export const FAUCET_GAS_WEI = 10n ** 18n;
/** One grant per address per hour; at most 100 grants per hour in all. */
export const FAUCET_WINDOW_MS = 3_600_000;
export const FAUCET_MAX_PER_WINDOW = 100;

export interface FaucetGrant {
  address: Address;
  aicWei: bigint;
  gasWei: bigint;
  txHashes: `0x${string}`[];
}

export interface FaucetOptions {
  aicWei?: bigint;
  gasWei?: bigint;
  windowMs?: number;
  maxPerWindow?: number;
  /** Sends the AIC and the gas to `address` and resolves once both are mined. */
  send(address: Address, aicWei: bigint, gasWei: bigint): Promise<`0x${string}`[]>;
  now?: () => number;
}

export interface Faucet {
  /** Grants to `address`, or throws FAUCET_ADDRESS_INVALID, FAUCET_RATE_LIMITED or FAUCET_UNAVAILABLE. */
  grant(address: string): Promise<FaucetGrant>;
  /** The HTTP route (`POST /faucet` with `{"address": "0x…"}`): 200 with the grant, or an error body. */
  route: DevnetRoute;
}

export function createFaucet(o: FaucetOptions): Faucet {
  const now = o.now ?? Date.now;
  const windowMs = o.windowMs ?? FAUCET_WINDOW_MS;
  const maxPerWindow = o.maxPerWindow ?? FAUCET_MAX_PER_WINDOW;
  const aicWei = o.aicWei ?? aicToWei(FAUCET_AIC);
  const gasWei = o.gasWei ?? FAUCET_GAS_WEI;
  const lastGrant = new Map<Address, number>();
  let recent: number[] = [];

  // Checks and records in one synchronous step, so two concurrent requests for one address cannot both pass.
  const admit = (address: Address): void => {
    const t = now();
    recent = recent.filter((at) => t - at < windowMs);
    const last = lastGrant.get(address);
    if (last !== undefined && t - last < windowMs) {
      throw new AicError('FAUCET_RATE_LIMITED', `${address} was funded ${Math.round((t - last) / 1000)} s ago`, {
        details: { address, retryAfterMs: windowMs - (t - last) },
      });
    }
    if (recent.length >= maxPerWindow) {
      throw new AicError('FAUCET_RATE_LIMITED', `the faucet gave ${recent.length} grants in the last window`, {
        details: { retryAfterMs: windowMs - (t - recent[0]!) },
      });
    }
    lastGrant.set(address, t);
    recent.push(t);
  };

  const grant = async (input: string): Promise<FaucetGrant> => {
    if (typeof input !== 'string' || !isAddress(input, { strict: false })) {
      throw new AicError('FAUCET_ADDRESS_INVALID', 'expected an address (0x followed by 40 hex digits)');
    }
    const address = getAddress(input);
    admit(address);
    try {
      const txHashes = await o.send(address, aicWei, gasWei);
      return { address, aicWei, gasWei, txHashes };
    } catch (error) {
      lastGrant.delete(address); // not funded: the member may ask again
      throw new AicError('FAUCET_UNAVAILABLE', 'the faucet could not send', { cause: error });
    }
  };

  const route: DevnetRoute = async (body) => {
    const address = typeof body === 'object' && body !== null ? (body as { address?: unknown }).address : undefined;
    try {
      const g = await grant(typeof address === 'string' ? address : '');
      return {
        status: 200,
        body: { address: g.address, aicWei: g.aicWei.toString(), gasWei: g.gasWei.toString(), txHashes: g.txHashes },
      };
    } catch (error) {
      if (!isAicError(error)) throw error;
      const status = { FAUCET_RATE_LIMITED: 429, FAUCET_ADDRESS_INVALID: 400 }[error.code] ?? 503;
      return { status, body: error.toJSON() };
    }
  };
  return { grant, route };
}

/** The devnet's sender: AIC and gas from the company dev account (the genesis company bucket), through the
 * chain's in-process provider. */
export function devnetFaucetSender(chain: EmbeddedChain, dev: DevDeployment): FaucetOptions['send'] {
  const { as } = createDevClients(chain, dev.deployment);
  const company = as(dev.roles.company);
  return async (to, aicWei, gasWei) => {
    const aic = await company.confirm('faucet AIC', () => company.token.write.transfer([to, aicWei]));
    const gas = await company.confirm('faucet gas', () => company.walletClient!.sendTransaction({ to, value: gasWei }));
    return [aic.transactionHash, gas.transactionHash];
  };
}
