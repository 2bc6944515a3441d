/**
 * Issue 17 done-when 2: `npm run devnet -- --chain pov` as a real process — the PoV chain of 4 validator processes
 * that are the devnet's GPU Vessels, the contracts deployed over a validator's JSON-RPC (signed locally), the other
 * nodes against it, and the verified demo training job end to end (escrow → assignment → training → verification →
 * settlement). Checked on the chain itself, through another validator's RPC than the nodes use: the job's
 * JobSettled event, the provider that trained it is one of the genesis validators, and every block from the escrow
 * to the settlement was proposed by a genesis validator and carries its 32-byte VRF ticket commitment, finalized.
 * One run, one job, 1 epoch (slow: minutes on 2 loaded cores). SIGTERM stops every process with exit code 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { aicTokenAbi, computeMarketAbi, parseDeployment } from '@aic/ledger';
import { createPublicClient, getAddress, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
/** Hang guard, not a speed assertion: genesis, 4 validators, deployment at 0.5 blocks/s, a rolling restart, 5 more
 * nodes and the job take many minutes on a loaded 2-core machine. */
const JOB_DONE_MS = 1_500_000;

describe('npm run devnet -- --chain pov', () => {
  let child: ChildProcess;
  let dataDir: string;
  const lines: string[] = [];
  let exited: Promise<number | null>;
  let outcome: { jobId: bigint; rpcUrls: string[]; devnetUrl: string; deploymentFile: string; genesisFile: string };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aic-devnet-pov-'));
    child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', 'apps/devnet/src/main.ts', '--chain', 'pov', '--port', '0'],
        ...['--data-dir', dataDir, '--epochs', '1'],
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    exited = new Promise((resolve) => child.on('exit', resolve));
    outcome = await new Promise((resolve, reject) => {
      let rpcUrls: string[] = [];
      let genesisFile = '';
      let deploymentFile = '';
      let devnetUrl = '';
      const timer = setTimeout(
        () => reject(new Error(`no settled job in ${JOB_DONE_MS} ms:\n${lines.slice(-80).join('\n')}`)),
        JOB_DONE_MS,
      );
      void exited.then((code) => reject(new Error(`devnet exited early (${code}):\n${lines.slice(-80).join('\n')}`)));
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', (line) => {
          lines.push(line);
          const urls = /validators' own JSON-RPC \(sign locally\): (.+)$/.exec(line);
          if (urls) rpcUrls = urls[1]!.trim().split(/\s+/);
          const genesis = /genesis\s+(\S+pov-genesis\.json)/.exec(line);
          if (genesis) genesisFile = genesis[1]!;
          const ready = /ready in .* RPC (\S+), deployment (\S+)\. Ctrl-C/.exec(line);
          if (ready) [devnetUrl, deploymentFile] = [ready[1]!, ready[2]!];
          const failed = /demo job failed: (.*)/.exec(line);
          if (failed) reject(new Error(`demo job failed: ${failed[1]}\n${lines.slice(-80).join('\n')}`));
          const settled = /job: job #(\d+) Settled on the PoV chain/.exec(line);
          if (settled) {
            clearTimeout(timer);
            resolve({ jobId: BigInt(settled[1]!), rpcUrls, devnetUrl, deploymentFile, genesisFile });
          }
        });
      }
    });
  }, JOB_DONE_MS + 10_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }, 360_000);

  it('settles the demo job on a PoV chain of ≥ 4 validators that are the GPU Vessels', async () => {
    const genesis = JSON.parse(await readFile(outcome.genesisFile, 'utf8')) as {
      chainId: number;
      validators: string[];
    };
    const validators = genesis.validators.map((v) => getAddress(v));
    expect(validators.length).toBeGreaterThanOrEqual(4);
    expect(outcome.rpcUrls.length).toBe(validators.length);
    const deployment = parseDeployment(JSON.parse(await readFile(outcome.deploymentFile, 'utf8')));
    expect(deployment.chainId).toBe(genesis.chainId);
    expect(deployment.pov?.ValidatorStakes).toBeDefined();
    // The nodes use validator 0's RPC: read through the last one (its own replica of the chain).
    const client = createPublicClient({ transport: http(outcome.rpcUrls.at(-1)!) });
    expect(await client.getChainId()).toBe(genesis.chainId);
    expect(genesis.chainId).not.toBe(31_337);

    const market = deployment.contracts.ComputeMarket;
    const events = async (eventName: 'JobEscrowed' | 'JobSettled' | 'JobAssigned') =>
      (await client.getContractEvents({ address: market, abi: computeMarketAbi, eventName, fromBlock: 0n })).filter(
        (e) => (e.args as { jobId?: bigint }).jobId === outcome.jobId,
      );
    const [settled] = await events('JobSettled');
    expect(settled).toBeDefined();
    expect((settled!.args as { providerPaid: bigint }).providerPaid).toBeGreaterThan(0n);
    const [escrowed] = await events('JobEscrowed');
    expect(escrowed).toBeDefined();
    // The GPU Vessel that trained it is a genesis validator (the validators are the devnet's GPU Vessels).
    const job = (await client.readContract({
      address: market,
      abi: computeMarketAbi,
      functionName: 'jobOf',
      args: [outcome.jobId],
    })) as {
      provider: string;
    };
    expect(validators).toContain(getAddress(job.provider));

    // Every block from the escrow to the settlement: proposed by a genesis validator, its ticket commitment in
    // extraData (32 bytes; the validators checked each seal's VRF proof on import), and final by now.
    const finalized = await client.getBlock({ blockTag: 'finalized' });
    expect(finalized.number).toBeGreaterThanOrEqual(settled!.blockNumber);
    const proposers = new Set<string>();
    for (let n = escrowed!.blockNumber; n <= settled!.blockNumber; n++) {
      const block = await client.getBlock({ blockNumber: n });
      expect(validators).toContain(getAddress(block.miner));
      expect(block.extraData.length).toBe(2 + 64);
      proposers.add(block.miner);
    }
    // A lottery, not a fixed leader: the job's blocks came from more than one validator.
    expect(proposers.size).toBeGreaterThan(1);
    expect(lines.some((l) => /restarted as validator \+ GPU Vessel provider/.test(l))).toBe(true);
  });

  it("the devnet's port: the guarded JSON-RPC answers from the PoV chain, the faucet signs locally", async () => {
    const rpc = async (method: string, params: unknown[] = []) =>
      (await (
        await fetch(outcome.devnetUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
        })
      ).json()) as { result?: unknown; error?: { message: string } };
    expect((await rpc('eth_chainId')).result).toBe('0x7a6a'); // 31338: the PoV chain, not the embedded 31337
    expect((await rpc('eth_sendTransaction', [{}])).error?.message).toMatch(/refused/);
    const member = getAddress(`0x${'4e'.repeat(20)}`);
    const res = await fetch(`${outcome.devnetUrl}/faucet`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: member }),
    });
    expect(res.status).toBe(200);
    const deployment = parseDeployment(JSON.parse(await readFile(outcome.deploymentFile, 'utf8')));
    // The faucet waited for its receipts on validator 0 (where the port forwards).
    const client = createPublicClient({ transport: http(outcome.rpcUrls[0]!) });
    const aic = await client.readContract({
      address: deployment.contracts.AICToken,
      abi: aicTokenAbi,
      functionName: 'balanceOf',
      args: [member],
    });
    expect(aic).toBe(1000n * 10n ** 18n);
    expect(await client.getBalance({ address: member })).toBe(10n ** 18n);
  }, 180_000);

  it('SIGTERM stops every process with exit code 0', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Nothing answers on the validators' RPC any more.
    await expect(fetch(outcome.rpcUrls[0]!, { method: 'POST', body: '{}' })).rejects.toThrow();
    // Hang guard: 9 nodes each finish their job roles' work (bounded) before they exit; over 120 s at load ~10.
  }, 360_000);
});
