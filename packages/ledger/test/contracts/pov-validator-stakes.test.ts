/**
 * ValidatorStakes: staking, unbonding, and slashing on the PoV consensus's evidence with real signatures — validators'
 * local viem accounts sign the EIP-712 Proposal/Attestation digests of packages/chain consensus/digests.ts (domain
 * "AIC PoV" v1 with the chain id, no verifying contract), and the contract recovers them with ecrecover.
 */
import {
  type Address,
  encodeAbiParameters,
  type Hex,
  hashTypedData,
  keccak256,
  type PrivateKeyAccount,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_PERMIT } from '../../src/types.ts';
import { buildPovFixture, type PovFixture } from '../helpers/pov-fixture.ts';
import { expectEvent, expectRevert, mined } from './behaviors/chain-assertions.ts';
import { AIC, travel, watchBalances } from './behaviors/ledger-helpers.ts';

const TYPES = {
  Proposal: [
    { name: 'slot', type: 'uint64' },
    { name: 'blockHash', type: 'bytes32' },
  ],
  Attestation: [
    { name: 'slot', type: 'uint64' },
    { name: 'blockHash', type: 'bytes32' },
    { name: 'valid', type: 'bool' },
  ],
} as const;
const MIN_STAKE = 100n * AIC; // the preset's validatorMinStakeAic

let f: PovFixture;
let domain: { name: string; version: string; chainId: number };
const block = (label: string): Hex => keccak256(toHex(label));
const propose = (signer: PrivateKeyAccount, slot: bigint, blockHash: Hex) =>
  signer.signTypedData({ domain, types: TYPES, primaryType: 'Proposal', message: { slot, blockHash } });
const attest = (signer: PrivateKeyAccount, slot: bigint, blockHash: Hex, valid: boolean) =>
  signer.signTypedData({ domain, types: TYPES, primaryType: 'Attestation', message: { slot, blockHash, valid } });

const equivocation = (slot: bigint, a: Hex, sigA: Hex, b: Hex, sigB: Hex) =>
  encodeAbiParameters(
    [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes32' }, { type: 'bytes' }],
    [slot, a, sigA, b, sigB],
  );
const invalidBlock = (slot: bigint, blockHash: Hex, proposerSig: Hex, rejections: Hex[]) =>
  encodeAbiParameters(
    [{ type: 'uint64' }, { type: 'bytes32' }, { type: 'bytes' }, { type: 'bytes[]' }],
    [slot, blockHash, proposerSig, rejections],
  );

function validator(i: number): PrivateKeyAccount {
  const v = f.validators[i];
  if (!v) throw new Error(`no validator ${i}`);
  return v;
}

describe('ValidatorStakes', () => {
  let reporter: Address;
  beforeAll(async () => {
    f = await buildPovFixture();
    domain = { name: 'AIC PoV', version: '1', chainId: f.chain.chainId };
    reporter = f.roles.users[0] as Address;
  });
  beforeEach(async () => {
    await f.reset();
  });

  it('holds the devnet validators staked at the minimum, and needs ceil(2/3 of min(n − 1, 7)) rejections', async () => {
    const stakes = f.stakes(reporter);
    expect(await stakes.read.activeCount()).toBe(4n);
    expect((await stakes.read.activeValidators()).map((a) => a.toLowerCase()).sort()).toEqual(
      f.validators.map((v) => v.address.toLowerCase()).sort(),
    );
    expect((await stakes.read.validatorOf([validator(0).address])).stake).toBe(MIN_STAKE);
    expect(await stakes.read.rejectQuorum()).toBe(2n); // committee of 3, 2/3 of it
  });

  it('uses the same digests as the consensus (EIP-712, domain AIC PoV v1 + chain id)', async () => {
    const stakes = f.stakes(reporter);
    const h = block('b');
    expect(await stakes.read.proposalDigest([9n, h])).toBe(
      hashTypedData({ domain, types: TYPES, primaryType: 'Proposal', message: { slot: 9n, blockHash: h } }),
    );
    expect(await stakes.read.attestationDigest([9n, h, false])).toBe(
      hashTypedData({
        domain,
        types: TYPES,
        primaryType: 'Attestation',
        message: { slot: 9n, blockHash: h, valid: false },
      }),
    );
  });

  describe('slashEquivocation', () => {
    it('slashes a proposer that signed two blocks for one slot: half its stake, split reporter / treasury', async () => {
      const v = validator(0);
      const [a, b] = [block('a'), block('b')];
      const evidence = equivocation(5n, a, await propose(v, 5n, a), b, await propose(v, 5n, b));
      const balances = await watchBalances(f, [reporter, f.roles.treasury]);
      const stakes = f.stakes(reporter);
      const receipt = await mined(f.publicClient, stakes.write.slashEquivocation([evidence]));
      expectEvent(receipt, stakes, 'ValidatorSlashed', { validator: v.address, offence: 1, amount: MIN_STAKE / 2n });
      expect(await balances.delta()).toEqual([MIN_STAKE / 4n, MIN_STAKE / 4n]);
      expect((await stakes.read.validatorOf([v.address])).stake).toBe(MIN_STAKE / 2n);
      // Below the minimum now: no longer active, and the quorum shrinks with the set.
      expect(await stakes.read.isActive([v.address])).toBe(false);
      expect(await stakes.read.activeCount()).toBe(3n);
    });

    it('refuses the same evidence twice, and any other pair for the same proposer and slot', async () => {
      const v = validator(1);
      const [a, b, c] = [block('a'), block('b'), block('c')];
      const [sa, sb, sc] = [await propose(v, 7n, a), await propose(v, 7n, b), await propose(v, 7n, c)];
      const stakes = f.stakes(reporter);
      await mined(f.publicClient, stakes.write.slashEquivocation([equivocation(7n, a, sa, b, sb)]));
      const id = keccak256(
        encodeAbiParameters(
          [{ type: 'string' }, { type: 'address' }, { type: 'uint64' }],
          ['equivocation', v.address, 7n],
        ),
      );
      expect(await stakes.read.evidenceUsed([id])).toBe(true);
      await expectRevert(stakes.write.slashEquivocation([equivocation(7n, a, sa, b, sb)]), 'ValidatorEvidenceUsed', [
        id,
      ]);
      await expectRevert(stakes.write.slashEquivocation([equivocation(7n, a, sa, c, sc)]), 'ValidatorEvidenceUsed', [
        id,
      ]);
    });

    it('refuses non-evidence: one block twice, two signers, a signature over another slot, garbage bytes', async () => {
      const [v, w] = [validator(0), validator(1)];
      const [a, b] = [block('a'), block('b')];
      const stakes = f.stakes(reporter);
      const sa = await propose(v, 3n, a);
      await expectRevert(stakes.write.slashEquivocation([equivocation(3n, a, sa, a, sa)]), 'ValidatorSameBlock', [a]);
      await expectRevert(
        stakes.write.slashEquivocation([equivocation(3n, a, sa, b, await propose(w, 3n, b))]),
        'ValidatorSignersDiffer',
        [v.address, w.address],
      );
      // v signed b for slot 4, not 3: over slot 3 it recovers some other address.
      await expectRevert(
        stakes.write.slashEquivocation([equivocation(3n, a, sa, b, await propose(v, 4n, b))]),
        'ValidatorSignersDiffer',
      );
      await expectRevert(stakes.write.slashEquivocation(['0x1234']), 'ValidatorEvidenceMalformed');
      await expectRevert(
        stakes.write.slashEquivocation([equivocation(3n, a, '0x1234', b, sa)]),
        'ECDSAInvalidSignatureLength',
      );
      expect(await stakes.read.activeCount()).toBe(4n);
    });
  });

  describe('slashInvalidBlock', () => {
    it('slashes the proposer of a block 2 of its committee rejected: the whole stake (invalidBlockSlashBps)', async () => {
      const [p, r1, r2] = [validator(0), validator(1), validator(2)];
      const h = block('bad state root');
      const rejections = [await attest(r1, 11n, h, false), await attest(r2, 11n, h, false)];
      const evidence = invalidBlock(11n, h, await propose(p, 11n, h), rejections);
      const stakes = f.stakes(reporter);
      const balances = await watchBalances(f, [reporter, f.roles.treasury]);
      const receipt = await mined(f.publicClient, stakes.write.slashInvalidBlock([evidence]));
      expectEvent(receipt, stakes, 'ValidatorSlashed', { validator: p.address, offence: 2, amount: MIN_STAKE });
      expect(await balances.delta()).toEqual([MIN_STAKE / 2n, MIN_STAKE / 2n]);
      expect((await stakes.read.validatorOf([p.address])).stake).toBe(0n);
      await expectRevert(stakes.write.slashInvalidBlock([evidence]), 'ValidatorEvidenceUsed');
    });

    it('refuses too few rejections, the proposer rejecting itself, a repeated or non-validator signer, an approval', async () => {
      const [p, r1, r2] = [validator(0), validator(1), validator(2)];
      const outsider = privateKeyToAccount(keccak256(toHex('not a validator')));
      const h = block('bad');
      const ps = await propose(p, 12n, h);
      const [j1, j2] = [await attest(r1, 12n, h, false), await attest(r2, 12n, h, false)];
      const stakes = f.stakes(reporter);
      await expectRevert(
        stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [j1])]),
        'ValidatorTooFewRejections',
        [1n, 2n],
      );
      await expectRevert(
        stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [await attest(p, 12n, h, false), j1])]),
        'ValidatorBadRejection',
        [0n, p.address],
      );
      await expectRevert(
        stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [j1, j1])]),
        'ValidatorBadRejection',
        [1n, r1.address],
      );
      await expectRevert(
        stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [j1, await attest(outsider, 12n, h, false)])]),
        'ValidatorBadRejection',
        [1n, outsider.address],
      );
      // An approval (valid = true) is not a rejection: over the rejection digest it recovers a stranger.
      await expectRevert(
        stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [j1, await attest(r2, 12n, h, true)])]),
        'ValidatorBadRejection',
      );
      await expectRevert(stakes.write.slashInvalidBlock(['0x00']), 'ValidatorEvidenceMalformed');
      // The well-formed set still works after all those refusals.
      await mined(f.publicClient, stakes.write.slashInvalidBlock([invalidBlock(12n, h, ps, [j2, j1])]));
    });
  });

  describe('staking', () => {
    it('unbonds before paying out, and an unbonding validator can still be slashed', async () => {
      const v = validator(3);
      const stakes = f.stakes(v.address);
      await mined(f.publicClient, stakes.write.requestExit());
      expect(await stakes.read.isActive([v.address])).toBe(false);
      expect(await stakes.read.activeCount()).toBe(3n);
      const { exitAt } = await stakes.read.validatorOf([v.address]);
      await expectRevert(stakes.write.withdraw(), 'ValidatorStillBonded', [v.address, exitAt]);
      const [a, b] = [block('x'), block('y')];
      await mined(
        f.publicClient,
        f
          .stakes(reporter)
          .write.slashEquivocation([equivocation(2n, a, await propose(v, 2n, a), b, await propose(v, 2n, b))]),
      );
      await travel(f, 601); // the preset's validatorUnbondingSec (600)
      const balances = await watchBalances(f, [v.address]);
      await mined(f.publicClient, stakes.write.withdraw());
      expect(await balances.delta()).toEqual([MIN_STAKE / 2n]);
      expect((await stakes.read.validatorOf([v.address])).stake).toBe(0n);
      expect(await stakes.read.activeValidators()).toHaveLength(3);
    });

    it('refuses a stake below the minimum and a top-up while leaving', async () => {
      const newcomer = f.roles.users[1] as Address;
      const client = f.as(newcomer);
      const stakes = f.stakes(newcomer);
      await mined(f.publicClient, client.token.write.approve([stakes.address, MIN_STAKE * 2n]));
      await expectRevert(stakes.write.stake([MIN_STAKE - 1n, NO_PERMIT]), 'ValidatorStakeBelowMinimum', [
        MIN_STAKE - 1n,
        MIN_STAKE,
      ]);
      await mined(f.publicClient, stakes.write.stake([MIN_STAKE, NO_PERMIT]));
      expect(await stakes.read.activeCount()).toBe(5n);
      expect(await stakes.read.rejectQuorum()).toBe(3n); // committee of 4 now
      await mined(f.publicClient, stakes.write.requestExit());
      await expectRevert(stakes.write.stake([MIN_STAKE, NO_PERMIT]), 'ValidatorExiting');
    });
  });
});
