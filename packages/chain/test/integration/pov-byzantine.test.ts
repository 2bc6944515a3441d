/**
 * Byzantine proposers against 4 honest validators, in-process over real libp2p on 127.0.0.1 and the real stack
 * (EthereumJS executor on level, ECVRF tickets, seals, EIP-712 attestations): one genesis of 5 validators, the 5th
 * restarted with each AIC_FAULT_POV_PROPOSER behaviour in turn. A ticket that does not verify and a wrong state root
 * are refused by every honest node (and never become canonical); the invalid block draws rejection votes and
 * invalid-block evidence once the rejections reach a quorum; two blocks for one slot give equivocation evidence.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { bytesToHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PovFault } from '../../src/node/faults.ts';
import type { EvidenceSink } from '../../src/node/ports.ts';
import type { PovValidatorNode } from '../../src/node/run.ts';
import { povTestGenesis, startInProcessValidator } from '../helpers/in-process-validators.ts';

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Member {
  net: AicNetwork;
  node: PovValidatorNode;
  rejected: { hash: string; code: string }[];
  evidence: { kind: string; proposer: string }[];
}

describe('PoV Byzantine proposers (4 honest validators + 1)', () => {
  const keys: Hex[] = Array.from({ length: 5 }, () => generatePrivateKey());
  const cheatAddress = privateKeyToAddress(keys[4]!);
  const genesis = povTestGenesis(keys);
  let dir: string;
  const honest: Member[] = [];
  let cheat: Member | undefined;

  // Evidence is accepted (as the contract would) once it carries a quorum of 3 rejections: a committee of 4.
  const sinkFor = (m: () => Member): EvidenceSink => ({
    equivocation: (e) => m().evidence.push({ kind: 'equivocation', proposer: e.proposer }),
    invalidBlock: (e) => {
      if (e.rejections.length < 3) return false;
      m().evidence.push({ kind: 'invalid-block', proposer: e.proposer });
      return true;
    },
  });

  async function start(i: number, fault?: PovFault, tag = ''): Promise<Member> {
    let self: Member | undefined;
    const { net, node } = await startInProcessValidator({
      privateKey: keys[i]!,
      bootstrap: honest[0] ? honest[0].net.multiaddrs() : [],
      genesis,
      dataDir: join(dir, `v${i}${tag}`),
      ...(fault ? { fault } : {}),
      evidence: sinkFor(() => self as Member),
    });
    self = { net, node, rejected: [], evidence: [] };
    const m = self;
    node.validator.on('rejected', (r) => m.rejected.push(r));
    return m;
  }

  async function restartCheat(fault: PovFault) {
    if (cheat) {
      await cheat.node.stop();
      await cheat.net.stop();
    }
    for (const m of honest) {
      m.rejected.length = 0;
      m.evidence.length = 0;
    }
    cheat = await start(4, fault, `-${fault}`);
  }

  const proposerOfCanonical = async (m: Member) => {
    const out: string[] = [];
    const head = m.node.executor.head().number;
    for (let n = 1n; n <= head; n++) {
      const h = await m.node.executor.headerByNumber(n);
      const b = h && (await m.node.executor.store.getBlock(h.info.hash));
      if (b) out.push(bytesToHex(h.info.coinbase).toLowerCase());
    }
    return out;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-pov-byz-'));
    honest.push(await start(0));
    for (const i of [1, 2, 3]) honest.push(await start(i));
    await eventually('meshes', () => honest.every((m) => m.net.meshPeers(GOSSIP_TOPICS.povBlocks).length >= 2));
    await eventually('2 finalized blocks', () => honest.every((m) => m.node.executor.head().number >= 2n));
  });

  afterAll(async () => {
    for (const m of [...honest, ...(cheat ? [cheat] : [])]) {
      await m.node.stop();
      await m.net.stop();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses blocks whose ticket does not verify, on every honest node', async () => {
    await restartCheat('bad-ticket');
    await eventually('every honest node refused a cheat block', () => honest.every((m) => m.rejected.length > 0));
    for (const m of honest) {
      expect(m.rejected.every((r) => r.code.startsWith('CHAIN_SEAL_'))).toBe(true);
      expect(await proposerOfCanonical(m)).not.toContain(cheatAddress.toLowerCase());
    }
  });

  it('refuses a block with a wrong state root and reports invalid-block evidence', async () => {
    await restartCheat('bad-state-root');
    await eventually('every honest node refused a block for its state root', () =>
      honest.every((m) => m.rejected.some((r) => r.code === 'CHAIN_BAD_STATE_ROOT')),
    );
    await eventually('invalid-block evidence with a quorum of rejections', () =>
      honest.some((m) => m.evidence.some((e) => e.kind === 'invalid-block' && e.proposer === cheatAddress)),
    );
    for (const m of honest) expect(await proposerOfCanonical(m)).not.toContain(cheatAddress.toLowerCase());
  });

  it('reports equivocation evidence for two blocks of one slot', async () => {
    await restartCheat('equivocate');
    await eventually('every honest node holds equivocation evidence against the cheat', () =>
      honest.every((m) => m.evidence.some((e) => e.kind === 'equivocation' && e.proposer === cheatAddress)),
    );
  });
});
