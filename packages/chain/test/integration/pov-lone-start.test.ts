/**
 * A validator that starts before it has peers makes a branch of its own; once it meets the others it must take
 * their (longer, finalized) chain. It once forked for good: its epoch states, folded from its own branch, were
 * cached by epoch number and then judged the real chain's seals (refused: VRF / eligibility against the wrong
 * randomness and threshold). Now they are keyed by the epoch's boundary block (node/epoch-states.ts). Four
 * in-process validators over libp2p on 127.0.0.1, the real stack, the minimal preset (8-slot epochs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS } from '@aic/core/params';
import { type AicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { bytesToHex, type Hex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PovValidatorNode } from '../../src/node/run.ts';
import { eventually } from '../helpers/eventually.ts';
import { povTestGenesis, startInProcessValidator } from '../helpers/in-process-validators.ts';

const pov = PRESETS.minimal.pov;
const EPOCH_SLOTS = BigInt(pov.slotsPerEpoch);

interface Member {
  net: AicNetwork;
  node: PovValidatorNode;
  rejected: string[];
}

describe('a validator that started alone joins the others chain when it meets them', () => {
  const keys: Hex[] = Array.from({ length: 4 }, () => generatePrivateKey());
  const genesis = povTestGenesis(keys);
  let dir: string;
  const group: Member[] = [];
  let lone: Member;

  async function start(i: number, bootstrap: string[]): Promise<Member> {
    const { net, node } = await startInProcessValidator({
      privateKey: keys[i] as Hex,
      bootstrap,
      genesis,
      dataDir: join(dir, `v${i}`),
      pov,
    });
    const m: Member = { net, node, rejected: [] };
    node.validator.on('rejected', (r) => m.rejected.push(r.code));
    return m;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-pov-lone-'));
    lone = await start(3, []);
    group.push(await start(0, []));
    for (const i of [1, 2]) group.push(await start(i, (group[0] as Member).net.multiaddrs()));
    await eventually(
      'the group meshes',
      () => group.every((m) => m.net.meshPeers(GOSSIP_TOPICS.povBlocks).length >= 2),
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    for (const m of [...group, lone]) {
      await m.node.stop();
      await m.net.stop();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the finalized chain of the others after epochs apart', async () => {
    const g0 = (group[0] as Member).node.executor;
    // Apart past the lookback: from epoch 2 on, the two branches' epoch states differ.
    const slotOf = (ts: bigint) => ts - (genesis.spec.timestampSec ?? 0n);
    await eventually(
      'both branches past epoch 3',
      () =>
        slotOf(lone.node.executor.head().timestampSec) >= 3n * EPOCH_SLOTS &&
        slotOf(g0.head().timestampSec) >= 3n * EPOCH_SLOTS &&
        lone.node.executor.head().number > 0n,
      120_000,
    );
    const loneBefore = lone.node.executor.head();
    expect(await g0.headerByHash(loneBefore.hash), 'the lone branch is its own').toBeUndefined();
    await lone.net.connect((group[0] as Member).net.multiaddrs()[0] as string);
    // The group's finalized block at the time, then on: the lone node holds it and finalizes past it.
    const target = (await g0.headerByHash(g0.finalized()))?.info ?? g0.head();
    await eventually(
      'the lone node on the group chain, finalized past the meeting',
      async () => {
        const mine = await lone.node.executor.headerByNumber(target.number);
        return (
          mine !== undefined &&
          bytesToHex(mine.info.hash) === bytesToHex(target.hash) &&
          ((await lone.node.executor.headerByHash(lone.node.executor.finalized()))?.info.number ?? 0n) > target.number
        );
      },
      120_000,
    );
    expect(lone.rejected.filter((c) => c.startsWith('CHAIN_SEAL_'))).toEqual([]);
  }, 300_000);
});
