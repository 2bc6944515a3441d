/**
 * Small helpers shared by the AIC contract tests: named dev users, a complete asset mint input, minting, moving the
 * clock, and AIC balance snapshots for exact payout checks.
 */
import { type Address, keccak256, toHex, zeroAddress } from 'viem';
import { AssetKind } from '../../../src/types.ts';
import type { Fixture } from '../../helpers/fixture.ts';
import { mined } from './chain-assertions.ts';

export const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';

/** 1 AIC in wei. */
export const AIC = 10n ** 18n;

export type Lineage = { parentId: bigint; shareBps: number }[];

export interface AssetInputOverrides {
  kind?: number;
  manifestCid?: string;
  pricePerUse?: bigint;
  licenseId?: number;
  lineage?: Lineage;
  royaltyReceiver?: Address;
  royaltyBps?: bigint;
}

/** A complete mint input (a Dataset at 1 AIC per use, license 7, no lineage, no royalty); override what matters. */
export function assetInput(over: AssetInputOverrides = {}) {
  return {
    kind: AssetKind.Dataset as number,
    manifestCid: CID,
    contentRoot: keccak256(toHex('content root')),
    pricePerUse: AIC,
    licenseId: 7,
    lineage: [] as Lineage,
    royaltyReceiver: zeroAddress as Address,
    royaltyBps: 0n,
    ...over,
  };
}

/** The first five funded dev users (1,000,000 AIC each), by name. */
export function users(f: Fixture) {
  const [alice, bob, carol, dave, erin] = f.roles.users;
  if (!alice || !bob || !carol || !dave || !erin) throw new Error('the fixture needs five user accounts');
  return { alice, bob, carol, dave, erin };
}

/** Mints an asset as `owner` and returns its id. */
export async function mint(f: Fixture, owner: Address, input = assetInput()): Promise<bigint> {
  const registry = f.as(owner).registry;
  const id = (await registry.read.totalMinted()) + 1n;
  await mined(f.publicClient, registry.write.mint([input]));
  return id;
}

/** Moves the chain clock forward by `seconds` and mines a block at the new time. */
export async function travel(f: Fixture, seconds: number | bigint) {
  await f.testClient.increaseTime({ seconds: Number(seconds) });
  await f.testClient.mine({ blocks: 1 });
}

/** The latest block's timestamp. */
export async function now(f: Fixture): Promise<bigint> {
  return (await f.publicClient.getBlock()).timestamp;
}

/** Snapshots the AIC balances of `accounts`; `delta()` then returns each one's change since, in the same order. */
export async function watchBalances(f: Fixture, accounts: Address[]) {
  const read = () => Promise.all(accounts.map((a) => f.as(a).balanceOf(a)));
  const before = await read();
  return {
    async delta(): Promise<bigint[]> {
      const after = await read();
      return after.map((b, i) => b - (before[i] ?? 0n));
    },
  };
}
