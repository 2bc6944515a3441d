/**
 * A real devnet for the web client's browser tests and `bench -- web`, started exactly as `npm start` starts it: the
 * embedded chain on a free port, 7 nodes with the job roles (requester, GPU Vessels, data owner, coordinator,
 * verifiers), and the demo job that publishes a dataset and a model and mints the TrainedAI. With the job roles a job
 * the browser's wallet pays really runs (placement, training, verification, settlement).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');

export interface WebDevnet {
  /** The web client's URL printed by the devnet (the requester node's API origin + `/`). */
  webUrl: string;
  /** Resolves once the demo job minted its TrainedAI: every PLAZA asset of the demo exists. */
  assetsMinted: Promise<void>;
  lines: string[];
  /** The devnet's --data-dir: node i keeps its state (and its API token, `node/api-token`) in `node-<i>-<role>`. */
  dataDir: string;
  stop(): Promise<void>;
}

/** $AIC_WEB_DEVNET_NODES below 7 starts a devnet without job roles (no coordinator: a job is not placed). */
export async function startWebDevnet(nodes = Number(process.env.AIC_WEB_DEVNET_NODES ?? 7)): Promise<WebDevnet> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aic-web-devnet-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'apps/devnet/src/main.ts', '--port', '0', '--nodes', String(nodes), '--data-dir', dataDir],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The dashboards' scenario closes the rewards epoch (evm_increaseTime) to claim from the wallet.
      env: { ...process.env, AIC_DEVNET_RPC_ALLOW: 'evm_increaseTime' },
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const failed = exited.then((code) => {
    throw new Error(`devnet exited (${code}):\n${lines.slice(-40).join('\n')}`);
  });
  failed.catch(() => {}); // observed by the promises below
  let onWeb: (url: string) => void = () => {};
  let onMinted: () => void = () => {};
  const web = new Promise<string>((resolve) => {
    onWeb = resolve;
  });
  const minted = new Promise<void>((resolve) => {
    onMinted = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    const url = /web client: (http:\/\/\S+\/)/.exec(line);
    if (url) onWeb(url[1]!);
    if (/TrainedAI #\d+ minted/.test(line)) onMinted();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const webUrl = await Promise.race([web, failed]);
    return { webUrl, assetsMinted: Promise.race([minted, failed]), lines, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
