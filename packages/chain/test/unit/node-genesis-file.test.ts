/** The genesis file's optional ComputeMarket and ValidatorStakes fields: parsed, round-tripped, bad input typed. */
import { isAicError } from '@aic/core';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { parsePovGenesis, povGenesisToJson } from '../../src/node/genesis-file.ts';

const validator = getAddress('0x1111111111111111111111111111111111111111');
const market = getAddress('0x2222222222222222222222222222222222222222');
const stakes = getAddress('0x3333333333333333333333333333333333333333');
const base = {
  chainId: 31_338,
  timestampSec: 1_700_000_000,
  gasLimit: 200_000_000n,
  baseFeePerGasWei: 1_000_000_000n,
  alloc: [{ address: validator, balanceWei: 10n ** 21n }],
  validators: [validator],
};

describe('PoV genesis file: verified-work and slashing contracts', () => {
  it('names the ComputeMarket (with its FLOPs per checkpoint) and ValidatorStakes, and round-trips them', () => {
    const json = povGenesisToJson({
      ...base,
      computeMarket: { address: market, flopsPerCheckpoint: 10n ** 9n },
      validatorStakes: stakes,
    });
    const g = parsePovGenesis(JSON.parse(json));
    expect(g.computeMarket).toEqual({ address: market, flopsPerCheckpoint: 10n ** 9n });
    expect(g.validatorStakes).toBe(stakes);
  });

  it('leaves both out when absent (bootstrap weight only, evidence only logged)', () => {
    const g = parsePovGenesis(JSON.parse(povGenesisToJson(base)));
    expect(g.computeMarket).toBeUndefined();
    expect(g.validatorStakes).toBeUndefined();
  });

  it('refuses a malformed market with CHAIN_GENESIS_INVALID', () => {
    const json = JSON.parse(povGenesisToJson(base)) as Record<string, unknown>;
    for (const computeMarket of [
      { address: '0x12', flopsPerCheckpoint: '1' },
      { address: market, flopsPerCheckpoint: '-1' },
    ]) {
      try {
        parsePovGenesis({ ...json, computeMarket });
        throw new Error('accepted');
      } catch (error) {
        expect(isAicError(error, 'CHAIN_GENESIS_INVALID'), String(error)).toBe(true);
      }
    }
  });
});
