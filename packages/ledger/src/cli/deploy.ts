/**
 * `npm run deploy -- --rpc-url <url> --keystore <file> --config <deploy.json> [--password-file <file>] [--out <file>]
 *   [--pov-chain]`
 *
 * Deploys every AIC contract to any EVM JSON-RPC endpoint, signing with a standard Ethereum keystore v3 file. The
 * password comes from --password-file or the AIC_PASSWORD environment variable; it and the key are never printed.
 * Writes the deployment (addresses, chain id, block) as JSON to --out (default: stdout). `--pov-chain` (on the PoV
 * chain, the Skeleton main-net) also deploys AICIssuer as AICToken's sole minter and ValidatorStakes, with the
 * standard preset's terms; the issuance schedule is published when the deployer is the admin, issuance left off.
 */
import '@aic/core/polyfills';
import { readFile, writeFile } from 'node:fs/promises';
import { AicError, isAicError } from '@aic/core';
import { decryptKeystore } from '@aic/core/keystore';
import { mainnetPreset } from '@aic/core/params';
import { Command } from 'commander';
import { createPublicClient, createWalletClient, defineChain, http, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { deployConfigSchema } from '../config.ts';
import { deployAic } from '../deploy.ts';
import { deployPovContracts } from '../deploy-pov.ts';
import { deploymentToJson } from '../deployment.ts';

const program = new Command('deploy')
  .description('Deploy the AIC contracts to an EVM JSON-RPC endpoint with a keystore file')
  .requiredOption('--rpc-url <url>', 'JSON-RPC endpoint of the target chain')
  .requiredOption('--keystore <file>', 'Ethereum keystore v3 file of the deployer')
  .requiredOption('--config <file>', 'deployment config JSON (see packages/ledger/deploy.example.json)')
  .option('--password-file <file>', 'file holding the keystore password (else AIC_PASSWORD)')
  .option('--out <file>', 'write the deployment JSON here instead of stdout')
  .option('--pov-chain', "also deploy the PoV chain's contracts (extra issuance, validator stakes)")
  .parse();

const opts = program.opts<{
  rpcUrl: string;
  keystore: string;
  config: string;
  passwordFile?: string;
  out?: string;
  povChain?: boolean;
}>();

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new AicError('DEPLOY_INPUT_INVALID', `cannot read ${what} ${path}`, { cause });
  }
}

async function password(): Promise<string> {
  if (opts.passwordFile) return (await readFile(opts.passwordFile, 'utf8')).replace(/\r?\n$/, '');
  const fromEnv = process.env.AIC_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  throw new AicError('DEPLOY_NO_PASSWORD', 'no keystore password: use --password-file or set AIC_PASSWORD');
}

async function main(): Promise<void> {
  const parsed = deployConfigSchema.safeParse(await readJson(opts.config, 'config'));
  if (!parsed.success) {
    throw new AicError(
      'DEPLOY_INPUT_INVALID',
      `config is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const key = await decryptKeystore(await readJson(opts.keystore, 'keystore'), await password());
  const account = privateKeyToAccount(toHex(key));
  key.fill(0);
  const probe = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 1 }) });
  const chainId = await probe.getChainId().catch((cause: unknown) => {
    throw new AicError('DEPLOY_RPC_UNREACHABLE', `cannot reach ${opts.rpcUrl}`, { cause });
  });
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const transport = http(opts.rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const walletClient = createWalletClient({ chain, transport, account });
  console.error(`deploying AIC to chain ${chainId} at ${opts.rpcUrl} from ${account.address}`);
  const onStep = (line: string) => console.error(`  ${line}`);
  let deployment = await deployAic({ publicClient, walletClient }, parsed.data, { onStep });
  if (opts.povChain) {
    const pov = await deployPovContracts(
      { publicClient, walletClient },
      {
        deployment,
        params: mainnetPreset.povContracts,
        governor: parsed.data.admin,
        treasury: parsed.data.treasury,
        committeeMaxSize: mainnetPreset.pov.committeeMaxSize,
        onStep,
      },
    );
    deployment = { ...deployment, pov };
  }
  const json = `${deploymentToJson(deployment)}\n`;
  if (opts.out) {
    await writeFile(opts.out, json);
    console.error(`deployment written to ${opts.out}`);
  } else {
    process.stdout.write(json);
  }
}

main().catch((error: unknown) => {
  const line = isAicError(error)
    ? error.toLine()
    : `DEPLOY_FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  console.error(line);
  process.exit(1);
});
