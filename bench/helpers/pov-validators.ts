/**
 * bench/chain.ts's validator part: N PoV validators in one process (each its own libp2p node on 127.0.0.1, level
 * store, executor, ECVRF tickets, committee attestations), one genesis; measured on validator 0 over `seconds`:
 * canonical blocks per second (goal 0.5 ± 0.05) and finality lag, the head's height minus the finalized block's at
 * each finalization, in blocks (p99; goal ≤ 2). On one machine the N validators share its cores.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PovValidatorNode, parsePovGenesis, startPovValidatorNode } from '@aic/chain/node';
import { type AicNetwork, createAicNetwork } from '@aic/network';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';

const quiet = { info() {}, debug() {}, warn() {} };

export interface BenchValidators {
  nodes: { net: AicNetwork; node: PovValidatorNode }[];
  /** Resolves at validator 0's first finalized block (the meshes have formed). */
  firstFinalized: Promise<void>;
  /** Resolves once every validator's head state has each address at (at least) its nonce; rejects at the deadline. */
  waitForNonces(targets: ReadonlyMap<Address, bigint>, deadlineMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `count` validators on one genesis; `funded` accounts get `balanceWei` each besides the validators. */
export async function startValidators(
  count: number,
  funded: readonly Address[] = [],
  balanceWei = '1000000000000000000000',
): Promise<BenchValidators> {
  const keys = Array.from({ length: count }, () => generatePrivateKey());
  const genesis = parsePovGenesis({
    chainId: 31_338,
    timestampSec: Math.floor(Date.now() / 1000),
    gasLimit: '200000000',
    baseFeePerGasWei: '1000000000',
    alloc: [...keys.map((k) => privateKeyToAddress(k)), ...funded].map((address) => ({ address, balanceWei })),
    validators: keys.map((k) => privateKeyToAddress(k)),
  });
  const dir = await mkdtemp(join(tmpdir(), 'aic-pov-bench-'));
  const nodes: { net: AicNetwork; node: PovValidatorNode }[] = [];
  for (const [i, key] of keys.entries()) {
    const net = await createAicNetwork({
      privateKey: key,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: nodes[0]?.net.multiaddrs() ?? [],
    });
    await net.start();
    nodes.push({
      net,
      node: await startPovValidatorNode({
        privateKey: key,
        network: net,
        genesis,
        dataDir: join(dir, `${i}`),
        rpcPort: 0,
        log: quiet,
      }),
    });
  }
  const first = (nodes[0] as (typeof nodes)[number]).node;
  const firstFinalized = new Promise<void>((resolve) => first.validator.on('finalized', () => resolve()));
  return {
    nodes,
    firstFinalized,
    waitForNonces: (targets, deadlineMs) => waitForNonces(nodes, targets, deadlineMs),
    async stop() {
      for (const { net, node } of nodes) {
        await node.stop();
        await net.stop();
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitForNonces(
  nodes: BenchValidators['nodes'],
  targets: ReadonlyMap<Address, bigint>,
  deadlineMs: number,
): Promise<void> {
  const done = new Set<number>();
  const unsubscribe: (() => void)[] = [];
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`validators ${[...done].join(',')} of ${nodes.length} reached the nonces by the deadline`));
    }, deadlineMs);
    const finish = () => {
      clearTimeout(timer);
      for (const off of unsubscribe) off();
    };
    const check = async (i: number) => {
      // Through the node's own JSON-RPC (bench/ resolves the root's older @ethereumjs, not @aic/chain's).
      const { url } = (nodes[i] as (typeof nodes)[number]).node.rpc;
      const entries = [...targets];
      const body = entries.map(([address], id) => ({
        jsonrpc: '2.0',
        id,
        method: 'eth_getTransactionCount',
        params: [address, 'latest'],
      }));
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answers = (await response.json()) as { id: number; result?: string }[];
      for (const answer of answers) {
        const target = entries[answer.id]?.[1] ?? 0n;
        if (answer.result === undefined || BigInt(answer.result) < target) return;
      }
      done.add(i);
      if (done.size === nodes.length) {
        finish();
        resolve();
      }
    };
    for (const [i, { node }] of nodes.entries()) {
      unsubscribe.push(node.executor.onHead(() => void check(i).catch(reject)));
      void check(i).catch(reject);
    }
  });
}

export async function measureValidators(
  count: number,
  seconds: number,
): Promise<{ blocksPerS: number; finalityP99Blocks: number; finalizations: number }> {
  const net = await startValidators(count);
  const first = (net.nodes[0] as (typeof net.nodes)[number]).node;
  // Past the start-up (meshes forming): measure from the first finalized block on.
  await net.firstFinalized;
  const lags: number[] = [];
  first.validator.on('finalized', (d) => lags.push(Number(first.executor.head().number - d.number)));
  const startHead = first.executor.head().number;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const blocks = Number(first.executor.head().number - startHead);
  const elapsed = (Date.now() - t0) / 1000;
  await net.stop();
  lags.sort((a, b) => a - b);
  return {
    blocksPerS: Number((blocks / elapsed).toFixed(3)),
    finalityP99Blocks: lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? Number.NaN,
    finalizations: lags.length,
  };
}
