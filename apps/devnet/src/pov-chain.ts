/**
 * `--chain pov`: the devnet's chain is the PoV chain, produced and validated by the devnet's GPU Vessels. In order:
 * 1. a genesis that funds the dev accounts (native gas) and names the GPU Vessels' node accounts as its validators;
 * 2. the GPU Vessel node processes start as `--pov-validator`s only (no contracts exist yet); blocks begin;
 * 3. the contracts are deployed over a validator's JSON-RPC, every transaction signed here with the dev accounts'
 *    keys (the PoV chain holds no keys: no eth_sendTransaction);
 * 4. each GPU Vessel is restarted, one at a time (the other validators keep the chain going), as a provider too,
 *    now with the deployment — same key, ports, and chain directory, so it resumes and catches up.
 * The other nodes (requester, data owner, coordinator, verifiers) then start against a validator's RPC (pov-devnet.ts).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CHAIN_EXEC_DEFAULTS } from '@aic/chain';
import { povGenesisToJson } from '@aic/chain/node';
import { AicError, pause } from '@aic/core';
import { devnetPovChain } from '@aic/core/params';
import { deploymentToJson, PRESETS } from '@aic/ledger';
import { type DevDeployment, deployDevnet } from '@aic/ledger/devchain';
import {
  type Address,
  bytesToHex,
  type Chain,
  createPublicClient,
  defineChain,
  type EIP1193Provider,
  getContractAddress,
  type Hex,
  http,
  type PublicClient,
} from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { type DevnetNodeEvent, type DevnetNodes, devAccountKey, startDevnetNodes } from './nodes.ts';
import { strayValidators } from './pov-strays.ts';

/** What the PoV devnet's chain side is sized by (`@aic/core/params`). */
const P = devnetPovChain;

export interface PovDevnetChain {
  /** The in-process EIP-1193 provider over validator 0's JSON-RPC (reads; writes must be signed locally). */
  chain: { provider: EIP1193Provider; chainId: number; accounts: Address[] };
  /** The chain for viem clients that sign (its id), and each dev account's key. */
  viemChain: Chain;
  keyOf(address: Address): Hex;
  /** Validator 0's JSON-RPC (what the other nodes use) and every validator's. */
  rpcUrl: string;
  validatorRpcUrls: string[];
  genesisFile: string;
  validators: Address[];
  dev: DevDeployment;
  deploymentFile: string;
  /** The GPU Vessel node processes (validators, then also providers). */
  vessels: DevnetNodes;
  close(): Promise<void>;
}

export interface PovDevnetChainOptions {
  /** The PoV devnet's state lives here: genesis, deployment file, one directory per node. */
  dataDir: string;
  /** Dev account indices of the GPU Vessels (≥ the preset's `validators`): the genesis validators. */
  vesselKeys: number[];
  log: (line: string) => void;
  onEvent: (event: DevnetNodeEvent) => void;
  signal: AbortSignal;
  /** Called as soon as the GPU Vessels are starting: a stop must then end them. */
  onVessels?: (stop: () => Promise<void>) => void;
}

export async function startPovDevnetChain(o: PovDevnetChainOptions): Promise<PovDevnetChain> {
  if (o.vesselKeys.length < P.validators) {
    throw new AicError(
      'DEVNET_POV_VALIDATORS_TOO_FEW',
      `the PoV devnet needs ≥ ${P.validators} GPU Vessels (validators)`,
    );
  }
  const accountCount = Math.max(P.devAccounts, ...o.vesselKeys.map((k) => k + 1));
  const keys = Array.from({ length: accountCount }, (_, i) => bytesToHex(devAccountKey(i)));
  const accounts = keys.map((k) => privateKeyToAddress(k));
  const validators = o.vesselKeys.map((k) => accounts[k]!);
  const chainId = CHAIN_EXEC_DEFAULTS.chainId;

  // 1. Genesis: now, the dev accounts funded, the GPU Vessels as validators. A new chain each run (as the EDR one):
  //    the vessels' chain directories from an earlier run belong to another genesis.
  await mkdir(o.dataDir, { recursive: true });
  const genesisFile = join(o.dataDir, 'pov-genesis.json');
  // deployDevnet deploys from dev account 0 (its admin) on a fresh account: the market's address is known now.
  const computeMarketAddress = getContractAddress({ from: accounts[0]!, nonce: BigInt(P.computeMarketAdminNonce) });
  const validatorStakesAddress = getContractAddress({
    from: accounts[0]!,
    nonce: BigInt(P.validatorStakesAdminNonce),
  });
  await writeFile(
    genesisFile,
    `${povGenesisToJson({
      chainId,
      timestampSec: Math.floor(Date.now() / 1000),
      gasLimit: CHAIN_EXEC_DEFAULTS.gasLimit,
      baseFeePerGasWei: CHAIN_EXEC_DEFAULTS.genesisBaseFeeWei,
      alloc: accounts.map((address) => ({ address, balanceWei: BigInt(P.devAccountBalanceWei) })),
      validators,
      // Tickets weigh the validators' verified work read from this market (bootstrap weight until there is some).
      computeMarket: { address: computeMarketAddress, flopsPerCheckpoint: BigInt(P.flopsPerCheckpoint) },
      // Each epoch's validator set is read from it (stakers join, the slashed leave); evidence goes to it.
      validatorStakes: validatorStakesAddress,
    })}\n`,
  );
  o.log(
    `chain: PoV genesis ${genesisFile} (chain id ${chainId}): ${accounts.length} dev accounts funded, ${validators.length} validators = the GPU Vessels' accounts (dev accounts ${o.vesselKeys.join(', ')})`,
  );
  const rpcPorts = await Promise.all(o.vesselKeys.map(() => freePort()));
  const validatorRpcUrls = rpcPorts.map((port) => `http://127.0.0.1:${port}`);
  const deploymentFile = join(o.dataDir, 'deployment.json');
  const phase = { providers: false, bootstrapOfFirst: [] as string[] };
  const roles = o.vesselKeys.map(() => 'gpu-provider' as const);
  for (const [i, role] of roles.entries()) {
    await rm(join(o.dataDir, `node-${i}-${role}`, 'pov'), { recursive: true, force: true });
  }

  // 2. The GPU Vessels as validators only.
  const starting = startDevnetNodes({
    count: o.vesselKeys.length,
    dataDir: o.dataDir,
    roles,
    privateKeys: o.vesselKeys.map(devAccountKey),
    jobRoles: false,
    demoActivity: false,
    signal: o.signal,
    onEvent: o.onEvent,
    argsOf: (i) => [
      ...['--pov-validator', '--pov-genesis', genesisFile, '--pov-rpc-port', String(rpcPorts[i])],
      // Node 0 is everyone's bootstrap; restarted itself, it dials node 1 (its own bootstrap list is empty).
      ...(i === 0 ? phase.bootstrapOfFirst.flatMap((b) => ['--bootstrap', b]) : []),
      ...(phase.providers ? ['--provider', '--deployment', deploymentFile] : []),
      // Info level: the providers' job steps and the validators' blocks (pov-devnet.ts thins the block lines).
      '--log-level',
      'info',
    ],
  });
  o.onVessels?.(async () => {
    await (await starting.catch(() => undefined))?.stop();
  });
  const vessels = await starting;
  try {
    const povChain = defineChain({
      id: chainId,
      name: 'aic-pov-devnet',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [validatorRpcUrls[0]!] } },
    });
    const provider = eip1193Over(validatorRpcUrls[0]!);
    const reader = createPublicClient({ chain: povChain, transport: http(validatorRpcUrls[0]!, { retryCount: 0 }) });
    const clients = validatorRpcUrls.map((url) => createPublicClient({ transport: http(url, { retryCount: 0 }) }));
    const first = await waitForBlock(reader, BigInt(P.blocksBeforeDeploy), P.blocksTimeoutMs, o.signal);
    await restartStrays(vessels, clients, o);
    o.log(`chain: ${validators.length} PoV validators agree on the chain (block ${first} at ${validatorRpcUrls[0]})`);

    // 3. The contracts, signed here.
    const keyOf = (address: Address): Hex => {
      const i = accounts.indexOf(address);
      if (i < 0) throw new AicError('DEVNET_DEV_KEY_UNKNOWN', `no dev key for ${address}`);
      return keys[i]!;
    };
    const started = Date.now();
    const dev = await deployDevnet(provider, accounts, {
      onStep: (line) => o.log(`ledger: ${line}`),
      params: { ...PRESETS.devnet, ...P.contracts },
      coordinatorCanaries: true,
      verifiersStakeThemselves: true,
      povChain: { validators, povChainId: BigInt(chainId) },
      localSigning: { chain: povChain, keyOf },
    });
    await writeFile(deploymentFile, `${deploymentToJson(dev.deployment)}\n`);
    if (dev.deployment.contracts.ComputeMarket.toLowerCase() !== computeMarketAddress.toLowerCase()) {
      throw new AicError(
        'DEVNET_POV_MARKET_MISPLACED',
        'ComputeMarket did not land where the PoV genesis names it (deployAic changed its order?)',
        { details: { genesis: computeMarketAddress, deployed: dev.deployment.contracts.ComputeMarket } },
      );
    }
    const deployedStakes = dev.deployment.pov?.ValidatorStakes;
    if (deployedStakes?.toLowerCase() !== validatorStakesAddress.toLowerCase()) {
      // The same fault as a misplaced market (a contract the genesis names is not where it landed): one code.
      throw new AicError(
        'DEVNET_POV_MARKET_MISPLACED',
        'ValidatorStakes did not land where the PoV genesis names it (deployDevnet changed its order?)',
        { details: { genesis: validatorStakesAddress, deployed: deployedStakes } },
      );
    }
    o.log(
      `ledger: deployed and funded in ${((Date.now() - started) / 1000).toFixed(1)} s over ${validatorRpcUrls[0]} (signed locally: the PoV chain has no unlocked accounts); deployment written to ${deploymentFile}`,
    );

    // 4. Each GPU Vessel again, as a provider too; one at a time, so the chain never stops.
    phase.providers = true;
    phase.bootstrapOfFirst = vessels.nodes[1]?.multiaddrs ?? [];
    for (const i of [...roles.keys()].slice(1).concat(0)) {
      await vessels.stopOne(i);
      const info = await vessels.restart(i);
      const head = await reader.getBlockNumber();
      await waitForBlock(clients[i]!, head, P.blocksTimeoutMs, o.signal);
      o.log(
        `node ${i} (gpu-provider) restarted as validator + GPU Vessel provider (pid ${info.pid}); its chain caught up to block ${head}`,
      );
    }
    await restartStrays(vessels, clients, o);
    return {
      chain: { provider, chainId, accounts },
      viemChain: povChain,
      keyOf,
      rpcUrl: validatorRpcUrls[0]!,
      validatorRpcUrls,
      genesisFile,
      validators,
      dev,
      deploymentFile,
      vessels,
      close: () => vessels.stop(),
    };
  } catch (error) {
    await vessels.stop();
    throw error;
  }
}

/**
 * Restarts any validator that is on a branch of its own. A validator whose chain service started before it had a
 * peer proposes on genesis alone; its early epochs' randomness then differs from the others', so each side refuses
 * the other's tickets (CHAIN_SEAL_VRF) and it never converges (seen on 2 loaded cores: 1 of 4). At a restart it
 * has peers before its chain service starts and syncs their chain. Compared: the block hash a few blocks below the
 * lowest head (the tips may differ for a slot or two); the majority's is the chain.
 */
async function restartStrays(
  vessels: DevnetNodes,
  clients: Pick<PublicClient, 'getBlockNumber' | 'getBlock'>[],
  o: Pick<PovDevnetChainOptions, 'log' | 'signal'>,
): Promise<void> {
  const depth = BigInt(P.agreementDepthBlocks);
  for (let restarts = 0; ; ) {
    const heads = await Promise.all(clients.map((c) => c.getBlockNumber({ cacheTime: 0 }).catch(() => 0n)));
    const at = BigInt(Math.max(...heads.map(Number))) - depth;
    if (at < 1n) {
      await waitForBlock(clients[0]!, depth + 1n, P.blocksTimeoutMs, o.signal);
      continue;
    }
    // A validator without that block (behind on a short branch of its own) counts as disagreeing.
    const hashes = await Promise.all(
      clients.map((c, i) =>
        c.getBlock({ blockNumber: at }).then(
          (b) => b.hash as string,
          () => `missing:${i}`,
        ),
      ),
    );
    if (new Set(hashes).size === 1) return;
    const strays = strayValidators(hashes);
    if (strays.length > 0 && restarts >= P.strayRestarts) {
      throw new AicError('DEVNET_POV_NOT_CONVERGED', `the PoV validators still disagree after ${restarts} restarts`, {
        details: { block: at, strays },
      });
    }
    for (const i of strays) {
      o.log(
        `chain: validator ${i} is on a branch of its own at block ${at}; restarting it (it syncs from its peers at start)`,
      );
      await vessels.stopOne(i);
      await vessels.restart(i);
      restarts++;
    }
    // Tips that differ (or no majority yet): compare again a few blocks later.
    await waitForBlock(clients[0]!, at + 2n * depth, P.blocksTimeoutMs, o.signal);
  }
}

/** A viem EIP-1193 provider over plain HTTP JSON-RPC (no retries: a revert is final). A validator answers an
 * eth_call in seconds on a loaded machine (EthereumJS opens the state and a VM per call): viem's 10 s default timed
 * out the demo's balance reads. */
function eip1193Over(url: string): EIP1193Provider {
  const transport = http(url, { retryCount: 0, timeout: P.rpcTimeoutMs })({ retryCount: 0 });
  return { request: transport.request, on: () => {}, removeListener: () => {} } as unknown as EIP1193Provider;
}

/** Waits (polling, bounded) until the chain at `client` has block `number`; returns its head then. */
export async function waitForBlock(
  client: Pick<PublicClient, 'getBlockNumber'>,
  number: bigint,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<bigint> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const head = await client.getBlockNumber({ cacheTime: 0 }).catch(() => -1n);
    if (head >= number) return head;
    if (Date.now() > until) {
      throw new AicError(
        'DEVNET_CHAIN_TIME_TIMEOUT',
        `the PoV chain did not reach block ${number} in ${timeoutMs} ms`,
        {
          details: { head },
        },
      );
    }
    if (!(await pause(500, signal))) throw signal.reason;
  }
}

/** A free TCP port on 127.0.0.1 (each validator's JSON-RPC keeps its port across the rolling restart). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
