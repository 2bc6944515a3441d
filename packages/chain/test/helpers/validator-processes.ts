/**
 * PoV validator node processes for the process tiers: `aic-node --pov-validator` (apps/node's bundle while current,
 * else its sources through tsx), one genesis shared by all, each with its own keystore and data dir on 127.0.0.1.
 * Spawned by path, not imported: @aic/chain sits below @aic/node in the layers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { encryptKeystore } from '@aic/core/keystore';
import { defineChain, type Hex, hexToBytes } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { povGenesisToJson } from '../../src/node/genesis-file.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
const NODE_DIST = join(ROOT, 'apps/node/dist/main.js');
const NODE_SRC = join(ROOT, 'apps/node/src/main.ts');
const PASSWORD = 'pov-test-password';

/** The processes' chain for viem clients (chain id 31338, as in the genesis writeValidatorSet writes). */
export const povTestChain = defineChain({
  id: 31_338,
  name: 'AIC PoV (test)',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

export interface ValidatorProcess {
  key: Hex;
  address: Hex;
  dataDir: string;
  child: ChildProcess;
  rpcUrl: string;
  multiaddrs: string[];
  /** Every parsed log line so far. */
  logs: Record<string, unknown>[];
  exited: Promise<number | null>;
}

export interface ValidatorSet {
  keys: Hex[];
  genesisFile: string;
  root: string;
}

/**
 * Writes a genesis for `count` validator keys (each funded with 1 000 000 ETH-units) plus `funded` accounts. The first
 * `genesisValidators` (default all) are the genesis set; the others join by staking in `validatorStakes`, when named.
 */
export async function writeValidatorSet(
  root: string,
  count: number,
  funded: Hex[] = [],
  options: { genesisValidators?: number; validatorStakes?: Hex } = {},
): Promise<ValidatorSet> {
  await mkdir(root, { recursive: true });
  const keys = Array.from({ length: count }, () => generatePrivateKey());
  const addresses = keys.map((k) => privateKeyToAddress(k));
  const genesisFile = join(root, 'pov-genesis.json');
  await writeFile(
    genesisFile,
    povGenesisToJson({
      chainId: 31_338,
      timestampSec: Math.floor(Date.now() / 1000),
      gasLimit: 200_000_000n,
      baseFeePerGasWei: 1_000_000_000n,
      alloc: [...addresses, ...funded].map((address) => ({ address, balanceWei: 10n ** 24n })),
      validators: addresses.slice(0, options.genesisValidators ?? count),
      ...(options.validatorStakes === undefined ? {} : { validatorStakes: options.validatorStakes }),
    }),
  );
  return { keys, genesisFile, root };
}

/** Starts validator `i` of the set (its data dir is kept across restarts); resolves once its node is ready. */
export async function startValidator(
  set: ValidatorSet,
  i: number,
  bootstrap: string[],
  env: Record<string, string> = {},
  logLevel: 'info' | 'debug' = 'info',
): Promise<ValidatorProcess> {
  const key = set.keys[i] as Hex;
  const dataDir = join(set.root, `validator-${i}`);
  const keystoreFile = join(set.root, `validator-${i}.keystore.json`);
  if (!existsSync(keystoreFile)) {
    const ks = await encryptKeystore(hexToBytes(key), PASSWORD, { scryptN: 1024 });
    await writeFile(keystoreFile, JSON.stringify(ks), { mode: 0o600 });
  }
  const entry =
    process.env.AIC_NODE_FROM_SOURCE !== '1' && existsSync(NODE_DIST) ? [NODE_DIST] : ['--import', 'tsx', NODE_SRC];
  const args = [
    ...entry,
    ...['--data-dir', dataDir, '--keystore', keystoreFile, '--listen', '/ip4/127.0.0.1/tcp/0', '--api-port', '0'],
    ...['--preset', 'minimal', '--log-level', logLevel, '--pov-validator', '--pov-genesis', set.genesisFile],
    ...['--pov-rpc-port', '0'],
    ...bootstrap.flatMap((b) => ['--bootstrap', b]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, AIC_PASSWORD: PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  let rpcUrl: string | undefined;
  const ready = new Promise<string[]>((res, rej) => {
    let buffer = '';
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        tail.push(line);
        if (tail.length > 30) tail.shift();
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          parsed = { msg: line };
        }
        logs.push(parsed);
        if (parsed.msg === 'pov validator serving') rpcUrl = parsed.rpcUrl as string;
        if (parsed.msg === 'node ready') res(parsed.multiaddrs as string[]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => rej(new Error(`validator ${i} exited ${code} before ready:\n${tail.join('\n')}`)));
    setTimeout(() => rej(new Error(`validator ${i} not ready in 120 s:\n${tail.join('\n')}`)), 120_000).unref();
  });
  const multiaddrs = await ready;
  if (rpcUrl === undefined) throw new Error(`validator ${i} printed no rpc url`);
  return { key, address: privateKeyToAddress(key), dataDir, child, rpcUrl, multiaddrs, logs, exited };
}

/** SIGTERM (or `signal`), then the exit code. */
export async function stopValidator(v: ValidatorProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (v.child.exitCode === null && v.child.signalCode === null) v.child.kill(signal);
  return await v.exited;
}
