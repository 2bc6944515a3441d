/**
 * The PoV chain as 4 validator node processes (`aic-node --pov-validator`) on 127.0.0.1, one network shared by the
 * cases: blocks are produced and finalized, every node agrees on them, a transaction sent to one validator's
 * JSON-RPC (viem, unchanged) is mined and seen from another; one validator killed → the chain goes on; restarted
 * from its data dir → it syncs and validates (attests, finalizes) again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually as waitUntil } from '../helpers/eventually.ts';
import {
  povTestChain,
  startValidator,
  stopValidator,
  type ValidatorProcess,
  type ValidatorSet,
  writeValidatorSet,
} from '../helpers/validator-processes.ts';

const pov = povTestChain;
const clientOf = (v: ValidatorProcess) => createPublicClient({ chain: pov, transport: http(v.rpcUrl) });

async function finalizedNumber(v: ValidatorProcess): Promise<bigint> {
  return (await clientOf(v).getBlock({ blockTag: 'finalized' })).number;
}

const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 90_000) =>
  waitUntil(what, check, timeoutMs);

describe('PoV chain: 4 validator node processes', () => {
  let root: string;
  let set: ValidatorSet;
  const vs: ValidatorProcess[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-pov-'));
    set = await writeValidatorSet(root, 4);
    vs.push(await startValidator(set, 0, []));
    vs.push(...(await Promise.all([1, 2, 3].map((i) => startValidator(set, i, vs[0]!.multiaddrs)))));
  });

  afterAll(async () => {
    await Promise.all(vs.map((v) => stopValidator(v)));
    await rm(root, { recursive: true, force: true });
  });

  it('produces blocks that all 4 finalize identically', async () => {
    await eventually('3 finalized blocks on every validator', async () => {
      const ns = await Promise.all(vs.map(finalizedNumber));
      return ns.every((n) => n >= 3n);
    });
    const hashes = await Promise.all(vs.map(async (v) => (await clientOf(v).getBlock({ blockNumber: 3n })).hash));
    expect(new Set(hashes).size).toBe(1);
    // More than one validator proposes (the lottery, not a fixed leader). Waited for, not read at once: with 4 equal
    // weights the first 3 blocks all come from one proposer with probability 1/16, more often on a loaded machine.
    const proposers = () => vs.filter((v) => v.logs.some((l) => l.msg === 'pov block proposed')).length;
    await eventually('a second validator proposed', () => proposers() > 1);
    expect(proposers()).toBeGreaterThan(1);
  });

  it('mines a transaction sent to one validator; another validator serves its receipt', async () => {
    const from = privateKeyToAccount(vs[0]!.key);
    const wallet = createWalletClient({ account: from, chain: pov, transport: http(vs[0]!.rpcUrl) });
    const hash = await wallet.sendTransaction({ to: vs[1]!.address, value: parseEther('1') });
    const receipt = await clientOf(vs[2]!).waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 250 });
    expect(receipt.status).toBe('success');
  });

  it('goes on without a killed validator, which then restarts from its store, syncs and validates again', async () => {
    const victim = vs.pop() as ValidatorProcess;
    await stopValidator(victim, 'SIGKILL');
    const before = await finalizedNumber(vs[0]!);
    await eventually(
      '2 more finalized blocks without validator 3',
      async () => (await finalizedNumber(vs[0]!)) >= before + 2n,
    );
    const back = await startValidator(set, 3, vs[0]!.multiaddrs);
    vs.push(back);
    const target = (await clientOf(vs[0]!).getBlock({ blockTag: 'latest' })).number;
    await eventually(
      'the restarted validator synced to the head it missed',
      async () => (await clientOf(back).getBlockNumber()) >= target,
    );
    const atTarget = await Promise.all(
      [vs[0]!, back].map(async (v) => (await clientOf(v).getBlock({ blockNumber: target })).hash),
    );
    expect(atTarget[0]).toBe(atTarget[1]);
    // It validates again: it finalizes new blocks (counting others' attestations, adding its own).
    await eventually(
      'the restarted validator finalizes new blocks',
      async () => (await finalizedNumber(back)) > target,
    );
  });
});
