/**
 * The validator service with 4 in-process validators on a real libp2p network (127.0.0.1) over the toy chain and
 * consensus (test/helpers/toy-chain.ts): blocks are proposed each slot, gossiped, imported, attested and finalized
 * on every node; transactions gossip to the proposer; a validator whose tickets do not verify is refused by all;
 * a late joiner syncs by range.
 */
import { type AicNetwork, createAicNetwork, GOSSIP_TOPICS } from '@aic/network';
import { bytesToHex } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PovFault } from '../../src/node/faults.ts';
import { PovValidator } from '../../src/node/validator.ts';
import { ToyChain, ToyConsensus } from '../helpers/toy-chain.ts';

const SLOT_MS = 500;
const quiet = { info() {}, debug() {}, warn() {} };

async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Member {
  key: `0x${string}`;
  net: AicNetwork;
  chain: ToyChain;
  validator: PovValidator;
  rejected: string[];
}

describe('PoV validator service, 4 in-process validators', () => {
  const keys = Array.from({ length: 6 }, () => generatePrivateKey());
  const validators = keys.slice(0, 5).map((k) => privateKeyToAddress(k));
  const genesisMs = Date.now();
  const members: Member[] = [];

  async function startMember(key: `0x${string}`, bootstrap: string[], fault?: PovFault): Promise<Member> {
    const net = await createAicNetwork({ privateKey: key, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
    await net.start();
    const chain = new ToyChain(new Uint8Array(20));
    const consensus = new ToyConsensus(key, validators, SLOT_MS, genesisMs, fault === undefined ? 0.25 : 0.6);
    const validator = new PovValidator({ network: net, chain, consensus, log: quiet, ...(fault ? { fault } : {}) });
    const m: Member = { key, net, chain, validator, rejected: [] };
    validator.on('rejected', (r) => m.rejected.push(r.hash));
    await validator.start();
    members.push(m);
    return m;
  }

  beforeAll(async () => {
    const first = await startMember(keys[0]!, []);
    for (const key of keys.slice(1, 4)) await startMember(key, first.net.multiaddrs());
    await waitUntil('gossip meshes', () => members.every((m) => m.net.meshPeers(GOSSIP_TOPICS.povBlocks).length >= 2));
  });

  afterAll(async () => {
    for (const m of members) await m.validator.stop();
    await Promise.all(members.map((m) => m.net.stop()));
  });

  it('produces blocks that every node imports, and finalizes them', async () => {
    await waitUntil('6 finalized blocks on every node', () => members.every((m) => m.chain.finalized().number >= 6n));
    const hashesAt = async (n: bigint) =>
      new Set(await Promise.all(members.map(async (m) => bytesToHex((await m.chain.canonicalBlock(n))!.header))));
    // Everyone finalized the same blocks.
    expect((await hashesAt(5n)).size).toBe(1);
    // Several proposers took part (nobody knows in advance; each slot's lottery picks).
    const proposers = new Set<string>();
    const c = new ToyConsensus(keys[0]!, validators, SLOT_MS, genesisMs, 0.25);
    for (let n = 1n; n <= 6n; n++) {
      const b = (await members[0]!.chain.canonicalBlock(n))!;
      proposers.add(c.sealInfo(b, members[0]!.chain.decodeHeader(b)).proposer);
    }
    expect(proposers.size).toBeGreaterThan(1);
  });

  it('gossips a transaction from the node that received it into a block', async () => {
    const tx = new Uint8Array([0xde, 0xad, 0xbe, 0xef, ...crypto.getRandomValues(new Uint8Array(8))]);
    members[1]!.chain.submit(tx);
    await waitUntil('the tx in a canonical block on every node', async () => {
      for (const m of members) {
        let found = false;
        for (let n = m.chain.head().number; n > 0n && !found; n--) {
          found = (await m.chain.canonicalBlock(n))!.txs.some((t) => bytesToHex(t) === bytesToHex(tx));
        }
        if (!found) return false;
      }
      return true;
    });
  });

  it('refuses every block of a validator whose ticket does not verify (and lowers its peer score)', async () => {
    const cheat = await startMember(keys[4]!, members[0]!.net.multiaddrs(), 'bad-ticket');
    const honest = members.filter((m) => m !== cheat);
    let proposed = 0;
    cheat.validator.on('proposed', () => proposed++);
    await waitUntil(
      'the cheat proposed 2 blocks and all honest nodes refused one',
      () => proposed >= 2 && honest.every((m) => m.rejected.length > 0),
    );
    for (const m of honest) {
      for (let n = 1n; n <= m.chain.head().number; n++) {
        const b = (await m.chain.canonicalBlock(n))!;
        const info = new ToyConsensus(keys[0]!, validators, SLOT_MS, genesisMs, 0.25).sealInfo(
          b,
          m.chain.decodeHeader(b),
        );
        expect(info.proposer.toLowerCase()).not.toBe(privateKeyToAddress(keys[4]!).toLowerCase());
      }
    }
    const cheatPeer = cheat.net.peerId.toString();
    expect(honest.some((m) => m.net.peerScores().some((s) => s.peerId === cheatPeer && s.score < 0))).toBe(true);
    await cheat.validator.stop();
  });

  it('a late joiner syncs the chain by range and follows it', async () => {
    const target = members[0]!.chain.head().number;
    const late = await startMember(keys[5]!, members[0]!.net.multiaddrs());
    await waitUntil('the late joiner reached the head it joined at', () => late.chain.head().number >= target);
    const theirs = await members[0]!.chain.canonicalBlock(target);
    expect(bytesToHex((await late.chain.canonicalBlock(target))!.header)).toBe(bytesToHex(theirs!.header));
  });
});
