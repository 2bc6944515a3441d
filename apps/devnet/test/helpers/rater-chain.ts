/**
 * The embedded chain the in-process rater-role tests share (contracts tier): a deployment made in `beforeAll` and
 * closed in `afterAll`, the chain clock moved to an epoch, and raters stepped until one acts.
 */
import type { LedgerClient } from '@aic/ledger';
import {
  createDevClients,
  type DevClients,
  type DevDeployment,
  deployDevnet,
  type EmbeddedChain,
  startEmbeddedChain,
} from '@aic/ledger/devchain';
import type { RaterAction, RaterRole } from '@aic/node';
import { afterAll, beforeAll } from 'vitest';

export interface RaterChain {
  readonly chain: EmbeddedChain;
  readonly dev: DevDeployment;
  readonly clients: DevClients;
}

/** Starts the chain and deploys (with `options` of that chain) before the file's tests, closes it after; read it
 * inside a test. */
export function useRaterChain(options?: (chain: EmbeddedChain) => Parameters<typeof deployDevnet>[2]): RaterChain {
  let state: RaterChain | undefined;
  const get = (): RaterChain => {
    if (!state) throw new Error('the embedded chain did not start');
    return state;
  };
  beforeAll(async () => {
    const chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts, options?.(chain));
    state = { chain, dev, clients: createDevClients(chain, dev.deployment) };
  });
  afterAll(async () => {
    await state?.chain.close();
  });
  return {
    get chain() {
      return get().chain;
    },
    get dev() {
      return get().dev;
    },
    get clients() {
      return get().clients;
    },
  };
}

/** Moves the chain clock by `seconds` and mines a block there. */
export async function travel(clients: DevClients, seconds: bigint | number): Promise<void> {
  await clients.testClient.increaseTime({ seconds: Number(seconds) });
  await clients.testClient.mine({ blocks: 1 });
}

/** Moves the chain clock to the middle of `epoch`, so the transactions that follow stay in it. */
export async function goToEpoch(clients: DevClients, ledger: LedgerClient, epoch: bigint): Promise<void> {
  const [genesis, durationSec] = await ledger.rewards.read.schedule();
  const target = genesis + BigInt(durationSec) * epoch + BigInt(durationSec) / 2n;
  const { timestamp } = await ledger.publicClient.getBlock();
  await travel(clients, target - timestamp);
}

/** Steps every rater until one of them does `kind` (bounded: 10 rounds); returns that action. */
export async function stepUntil(raters: RaterRole[], kind: RaterAction['kind']): Promise<RaterAction> {
  for (let round = 0; round < 10; round++) {
    for (const rater of raters) {
      const action = await rater.step();
      if (action.kind === kind) return action;
    }
  }
  throw new Error(`no rater did '${kind}'`);
}
