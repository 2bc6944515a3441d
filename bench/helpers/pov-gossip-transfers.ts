/**
 * bench/chain.ts's transfers through gossip: N in-process PoV validators (pov-validators.ts), an AICToken deployed
 * on their chain and AIC sent to every sender (set-up, untimed), then the signed transfers posted as JSON-RPC
 * batches of eth_sendRawTransaction to validator 0 only. It admits and gossips them; whichever validator wins a
 * slot includes them; every validator imports the blocks. Measured: from the first post until every validator's
 * head state holds every sender's last transfer — transfers per second, blocks used, and this process's CPU
 * milliseconds per transfer (all N validators' work: N admissions, one build, N − 1 imports, gossip, seals).
 * In one process the N validators share one JavaScript thread: on separate machines each does 1/N of that work
 * in parallel.
 */
import { aicTokenAbi, artifacts } from '@aic/ledger';
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  type Address,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  type Hex,
  hexToBytes,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startValidators } from './pov-validators.ts';

const CHAIN_ID = 31_338;
const FEE = { maxFeePerGas: 50_000_000_000n, maxPriorityFeePerGas: 1_000_000n } as const;

export interface GossipTransfersResult {
  erc20TransfersPerS: number;
  transfers: number;
  blocks: number;
  cpuMsPerTransfer: number;
  seconds: number;
}

export async function measureGossipTransfers(
  count: number,
  senderCount: number,
  perSender: number,
  deadlineMs = 600_000,
): Promise<GossipTransfersResult> {
  const senderAccounts = Array.from({ length: senderCount }, (_, i) =>
    privateKeyToAccount(toHex(keccak_256(new TextEncoder().encode(`aic-bench-gossip-${i}`)))),
  );
  const company = privateKeyToAccount(toHex(keccak_256(new TextEncoder().encode('aic-bench-gossip-company'))));
  const rich = '1000000000000000000000000';
  const net = await startValidators(count, [company.address, ...senderAccounts.map((a) => a.address)], rich);
  try {
    const rpcUrl = net.nodes[0]?.node.rpc.url as string;
    const post = async (raws: Hex[]) => {
      const body = raws.map((raw, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [raw] }));
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answers = (await response.json()) as { error?: { message: string } }[];
      const failed = answers.find((a) => a.error !== undefined);
      if (failed) throw new Error(`eth_sendRawTransaction refused: ${failed.error?.message}`);
    };
    await net.firstFinalized;

    // Set-up: the token (its whole supply to `company`), then AIC for every sender, in as few blocks as it takes.
    const token = getContractAddress({ from: company.address, nonce: 0n });
    const allocation = Object.fromEntries(
      ['investors', 'team', 'marketing', 'advisors', 'company', 'ecosystem'].map((k) => [k, company.address]),
    );
    const { abi, bytecode } = artifacts.AICToken;
    const setup: Hex[] = [
      await company.signTransaction({
        type: 'eip1559',
        chainId: CHAIN_ID,
        nonce: 0,
        data: encodeDeployData({ abi, bytecode, args: [allocation] as never }),
        gas: 5_000_000n,
        ...FEE,
      }),
    ];
    for (const [i, sender] of senderAccounts.entries()) {
      const data = encodeFunctionData({
        abi: aicTokenAbi,
        functionName: 'transfer',
        args: [sender.address, 10n ** 21n],
      });
      setup.push(await transferTx(company, i + 1, token, data, 100_000n));
    }
    await post(setup);
    await net.waitForNonces(new Map([[company.address, BigInt(setup.length)]]), deadlineMs);

    const raws: Hex[] = [];
    for (let n = 0; n < perSender; n++) {
      for (const [i, sender] of senderAccounts.entries()) {
        const to = (senderAccounts[(i + 1) % senderCount] as (typeof senderAccounts)[number]).address;
        const data = encodeFunctionData({ abi: aicTokenAbi, functionName: 'transfer', args: [to, 1n] });
        raws.push(await transferTx(sender, n, token, data, 80_000n));
      }
    }
    const startHeads = net.nodes.map(({ node }) => node.executor.head().number);
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < raws.length; i += 500) await post(raws.slice(i, i + 500));
    await net.waitForNonces(new Map(senderAccounts.map((a) => [a.address, BigInt(perSender)])), deadlineMs);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const used = process.cpuUsage(cpu);
    const total = raws.length;
    const first = net.nodes[0]?.node.executor;
    if (!first) throw new Error('no validator');
    const measured = new Set(raws.map((raw) => toHex(keccak_256(hexToBytes(raw)))));
    const { included, failed } = await countReceipts(first, measured);
    if (included !== total || failed !== 0) {
      throw new Error(`${included} of ${total} transfers included, ${failed} failed`);
    }
    return {
      erc20TransfersPerS: Math.round(total / seconds),
      transfers: total,
      blocks: Number(first.head().number - (startHeads[0] ?? 0n)),
      cpuMsPerTransfer: Number(((used.user + used.system) / 1e3 / total).toFixed(3)),
      seconds: Number(seconds.toFixed(2)),
    };
  } finally {
    await net.stop();
  }
}

function transferTx(
  account: ReturnType<typeof privateKeyToAccount>,
  nonce: number,
  to: Address,
  data: Hex,
  gas: bigint,
): Promise<Hex> {
  return account.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce, to: getAddress(to), data, gas, ...FEE });
}

type Executor = Awaited<ReturnType<typeof startValidators>>['nodes'][number]['node']['executor'];

/** How many of `measured` (tx hashes) the canonical chain holds, and how many of those failed. */
async function countReceipts(
  executor: Executor,
  measured: ReadonlySet<string>,
): Promise<{ included: number; failed: number }> {
  let included = 0;
  let failed = 0;
  for (let n = 1n; n <= executor.head().number; n++) {
    const header = await executor.headerByNumber(n);
    if (header === undefined) continue;
    const block = await executor.store.getBlock(header.info.hash);
    const receipts = await executor.store.getReceipts(header.info.hash);
    for (const [i, raw] of (block?.txs ?? []).entries()) {
      if (!measured.has(toHex(keccak_256(raw)))) continue;
      included++;
      if (receipts?.[i]?.status !== 1) failed++;
    }
  }
  return { included, failed };
}
