/**
 * The PoV chain's genesis file: what every validator of one chain must share (chain id, genesis time, funded
 * accounts, gas limit and base fee, the genesis validators). A devnet writes it once; each node reads it with
 * `--pov-genesis <file>`. Bad content is CHAIN_GENESIS_INVALID with the field named.
 */
import { readFile } from 'node:fs/promises';
import { type Address, getAddress, type Hex } from 'viem';
import { z } from 'zod';
import { ChainError } from '../errors.ts';
import type { GenesisSpec } from '../exec/genesis.ts';

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/)
  .transform((s) => getAddress(s) as Address);
const uintString = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/)
  .transform((s) => BigInt(s));

export const povGenesisFileSchema = z.strictObject({
  chainId: z
    .number()
    .int()
    .positive()
    .max(2 ** 48),
  /** Genesis time, Unix seconds: slot 0 starts then. */
  timestampSec: z.number().int().nonnegative(),
  gasLimit: uintString,
  baseFeePerGasWei: uintString,
  alloc: z.array(z.strictObject({ address, balanceWei: uintString })).max(10_000),
  validators: z.array(address).min(1).max(1_000),
  /**
   * The ComputeMarket deployed on this chain whose verified jobs weigh tickets, and the FLOPs one verified checkpoint
   * counts for (the market records checkpoints). Absent: tickets carry the bootstrap weight only.
   */
  computeMarket: z.strictObject({ address, flopsPerCheckpoint: uintString }).optional(),
  /** The ValidatorStakes on this chain that validators submit slashing evidence to. Absent: evidence is only logged. */
  validatorStakes: address.optional(),
});

export interface PovGenesis {
  spec: GenesisSpec;
  validators: Address[];
  computeMarket?: { address: Address; flopsPerCheckpoint: bigint };
  validatorStakes?: Address;
}

/** Parses a genesis file's JSON value. */
export function parsePovGenesis(value: unknown): PovGenesis {
  const parsed = povGenesisFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChainError(
      'CHAIN_GENESIS_INVALID',
      `genesis file: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  const g = parsed.data;
  return {
    spec: {
      chainId: g.chainId,
      timestampSec: BigInt(g.timestampSec),
      gasLimit: g.gasLimit,
      baseFeePerGasWei: g.baseFeePerGasWei,
      alloc: g.alloc.map((a) => ({ address: a.address as Hex, balanceWei: a.balanceWei })),
    },
    validators: g.validators,
    ...(g.computeMarket === undefined ? {} : { computeMarket: g.computeMarket }),
    ...(g.validatorStakes === undefined ? {} : { validatorStakes: g.validatorStakes }),
  };
}

export async function readPovGenesis(file: string): Promise<PovGenesis> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ChainError('CHAIN_GENESIS_INVALID', `cannot read the genesis file ${file}`, { cause });
  }
  try {
    return parsePovGenesis(JSON.parse(text));
  } catch (error) {
    if (error instanceof ChainError) throw error;
    throw new ChainError('CHAIN_GENESIS_INVALID', `the genesis file ${file} is not JSON`, { cause: error });
  }
}

/** The file's JSON for a genesis (what a devnet writes). */
export function povGenesisToJson(g: {
  chainId: number;
  timestampSec: number;
  gasLimit: bigint;
  baseFeePerGasWei: bigint;
  alloc: { address: Address; balanceWei: bigint }[];
  validators: Address[];
  computeMarket?: { address: Address; flopsPerCheckpoint: bigint };
  validatorStakes?: Address;
}): string {
  return JSON.stringify(
    {
      ...g,
      ...(g.computeMarket === undefined
        ? {}
        : { computeMarket: { ...g.computeMarket, flopsPerCheckpoint: g.computeMarket.flopsPerCheckpoint.toString() } }),
      gasLimit: g.gasLimit.toString(),
      baseFeePerGasWei: g.baseFeePerGasWei.toString(),
      alloc: g.alloc.map((a) => ({ address: a.address, balanceWei: a.balanceWei.toString() })),
    },
    null,
    2,
  );
}
