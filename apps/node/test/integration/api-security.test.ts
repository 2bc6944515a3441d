/**
 * The API's refusals against a real node process on a real chain: a write without the token, a job over the owner's
 * budget cap, a model id that names a dataset, unknown job ids. Nothing is escrowed (the node's AIC balance is read
 * from the chain before and after), every answer is in the API's `{code, message, details}` format, and no log line
 * of the node (at debug level) grows past 2 KiB.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { aicToWei, isAicError } from '@aic/core';
import { encryptKeystore } from '@aic/core/keystore';
import { deploymentToJson } from '@aic/ledger';
import { deployDevnet, type EmbeddedChain, startEmbeddedChain } from '@aic/ledger/devchain';
import { irisTemplate } from '@aic/model-vessel';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readApiToken } from '../../src/api/api-token.ts';
import { createApiClient } from '../../src/api/client.ts';
import { keystoreDir, saveKeystore } from '../../src/identity/keystore-files.ts';
import { writeCanaryDataset } from '../../src/jobs/canary-assets.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { startTestNode, TEST_PASSWORD } from '../helpers/cluster.ts';

const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const MAX_LOG_LINE_BYTES = 2048;

describe('node API refusals on a real chain', () => {
  let root: string;
  let chain: EmbeddedChain;
  let node: NodeProcess;
  let ids: { datasetId: string; modelId: string };
  const logLines: string[] = [];
  const user = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 12 });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-api-chain-'));
    chain = await startEmbeddedChain();
    const dev = await deployDevnet(chain.provider, chain.accounts, { fundAic: '500' });
    const deploymentFile = join(root, 'deployment.json');
    await writeFile(deploymentFile, deploymentToJson(dev.deployment));
    await saveKeystore(
      keystoreDir(join(root, 'node')),
      await encryptKeystore(user.getHdKey().privateKey!, TEST_PASSWORD, { scryptN: 1024 }),
    );
    const rpcUrl = await chain.serve();
    node = await startTestNode(
      join(root, 'node'),
      [],
      ['--rpc-url', rpcUrl, '--deployment', deploymentFile, '--log-level', 'debug', '--budget-per-job-aic', '10'],
    );
    createInterface({ input: node.child.stdout! }).on('line', (line) => logLines.push(line));
    // The node publishes the iris examples and MLP itself (issue 12: a job names published assets by id).
    const publisher = createApiClient(node.ready.apiUrl, {
      token: readApiToken(join(root, 'node')),
      timeoutMs: 60_000,
    });
    const dir = await writeCanaryDataset(await mkdtemp(join(root, 'node', 'import-')));
    const dataset = await publisher.publishDataset({ body: { dir, pricePerUseAic: '2' } });
    const model = await publisher.publishModel({
      body: { manifest: JSON.stringify(irisTemplate.manifest), pricePerUseAic: '1' },
    });
    ids = { datasetId: dataset.datasetId, modelId: model.modelId };
  }, 120_000);

  afterAll(async () => {
    expect(await node?.stop()).toBe(0);
    await chain?.close();
    await rm(root, { recursive: true, force: true });
  });

  const job = () => ({ ...ids, budgetAic: '40', verifierFeeAic: '1' });

  it('escrows nothing for a write without the token or over the budget cap', async () => {
    const reader = createApiClient(node.ready.apiUrl);
    const before = (await reader.balance()).aicWei;
    expect(before).toBe(aicToWei('500').toString());

    const anonymous = await reader.submitJob({ body: job() }).catch((e: unknown) => e);
    expect(isAicError(anonymous, 'API_UNAUTHORIZED')).toBe(true);
    expect((anonymous as { details: { httpStatus: number } }).details.httpStatus).toBe(401);

    const owner = createApiClient(node.ready.apiUrl, { token: readApiToken(join(root, 'node')) });
    const quote = await owner.quoteJob({ body: job() });
    expect(BigInt(quote.totalWei)).toBeGreaterThan(aicToWei('10'));
    const overCap = await owner.submitJob({ body: job() }).catch((e: unknown) => e);
    expect(isAicError(overCap, 'API_BUDGET_CAP_EXCEEDED')).toBe(true);
    expect((overCap as { details: Record<string, unknown> }).details).toMatchObject({
      httpStatus: 422,
      requestedWei: quote.totalWei,
      capWei: aicToWei('10').toString(),
    });
    expect((await reader.balance()).aicWei).toBe(before);
  });

  it('answers a model id that is a dataset with 422 JOB_ASSET_KIND_MISMATCH, not 500', async () => {
    const owner = createApiClient(node.ready.apiUrl, { token: readApiToken(join(root, 'node')) });
    const error = await owner.quoteJob({ body: { ...job(), modelId: ids.datasetId } }).catch((e: unknown) => e);
    expect(isAicError(error, 'JOB_ASSET_KIND_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain(`asset #${ids.datasetId} is a Dataset NFT`);
    expect((error as { details: { httpStatus: number } }).details.httpStatus).toBe(422);
  });

  it('answers the status and logs of an unknown job with 404 in the API format', async () => {
    for (const path of ['/v1/jobs/status?jobId=999999', '/v1/jobs/logs?jobId=999999']) {
      const res = await fetch(`${node.ready.apiUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        code: 'JOB_NOT_FOUND',
        message: 'job 999999 does not exist',
        details: { jobId: '999999' },
      });
    }
  });

  it('writes no log line over 2 KiB, even at debug level after refusals', async () => {
    // The refusals above are logged at debug; one more status read flushes the line order.
    await createApiClient(node.ready.apiUrl).status();
    expect(logLines.some((l) => l.includes('request failed'))).toBe(true);
    const longest = Math.max(...logLines.map((l) => Buffer.byteLength(l)));
    expect(longest).toBeLessThan(MAX_LOG_LINE_BYTES);
  });
});
