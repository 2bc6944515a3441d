import type { LedgerClient } from '@aic/ledger';
import { irisTemplate } from '@aic/model-vessel';
import { keccak256, toBytes } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.ts';
import type { NodeProcess } from '../../src/spawn.ts';
import { type ChainNodes, startChainNodes } from '../helpers/chain-nodes.ts';

// Hardhat's well-known development mnemonic: the embedded chain funds accounts 12+ with AIC (deployDevnet).
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

// A member's own small MLP (4 inputs, 3 classes), as text: its exact bytes are what the Model NFT commits to.
const MANIFEST = JSON.stringify({ ...irisTemplate.manifest, name: 'member-mlp' }, null, 2);

// Two node processes on 127.0.0.1 and the embedded chain: the publisher's node validates and stores a manifest,
// mints the Model NFT and serves it; the caller's node buys uses on PLAZA with its account and calls the model over
// the model-call protocol; each call consumes one use on chain; the AIC moves by exactly the quoted amounts.
describe('models as assets and paid inference between two nodes', () => {
  let reader: LedgerClient;
  let treasury: `0x${string}`;
  let nodes: NodeProcess[] = [];
  let net: ChainNodes | undefined;
  const [publisher, caller] = [12, 13].map((i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }));
  let publisherApi: ApiClient;
  let callerApi: ApiClient;

  beforeAll(async () => {
    net = await startChainNodes('aic-models-', [12, 13]);
    ({ reader, nodes } = net);
    treasury = net.dev.roles.treasury;
    [publisherApi, callerApi] = net.apis as [ApiClient, ApiClient];
  }, 240_000);

  afterAll(async () => {
    const codes = (await net?.close()) ?? [];
    expect(codes).toEqual(codes.map(() => 0));
  });

  it('refuses a manifest with a layer outside the allow-list, naming the layer', async () => {
    const hostile = MANIFEST.replace('"Dense"', '"Lambda"');
    await expect(publisherApi.publishModel({ body: { manifest: hostile, pricePerUseAic: '1' } })).rejects.toMatchObject(
      {
        code: 'MODEL_LAYER_NOT_ALLOWED',
        message: expect.stringContaining('Lambda'),
      },
    );
  });

  it('publishes, sells uses and serves paid calls, each consuming one use', async () => {
    const published = await publisherApi.publishModel({ body: { manifest: MANIFEST, pricePerUseAic: '2' } });
    expect(published.contentRoot).toBe(keccak256(toBytes(MANIFEST)));
    const modelId = BigInt(published.modelId);
    const asset = await reader.registry.read.assetOf([modelId]);
    expect(asset.contentRoot).toBe(published.contentRoot);
    expect(asset.manifestCid).toBe(published.manifestCid);
    expect(await reader.registry.read.ownerOf([modelId])).toBe(publisher!.address);

    const input = [0.1, -0.3, 1.2, 0.8];
    // no uses yet: refused by the caller's node before anything runs, and nothing is consumed
    await expect(callerApi.callModel({ body: { modelId: published.modelId, input } })).rejects.toMatchObject({
      code: 'MODEL_CALL_UNPAID',
      details: { httpStatus: 403 },
    });

    const balances = () =>
      Promise.all([publisher!.address, caller!.address, treasury].map((a) => reader.token.read.balanceOf([a])));
    const before = await balances();
    const bought = await callerApi.buyUses({ body: { assetId: published.modelId, uses: 2, maxTotalAic: '4' } });
    expect(bought).toMatchObject({ uses: 2, pricePerUseWei: String(2n * 10n ** 18n), usesLeft: '2' });
    expect(BigInt(bought.paidWei)).toBe(4n * 10n ** 18n);
    const fee = BigInt(bought.protocolFeeWei);
    const after = await balances();
    expect(after[1]! - before[1]!).toBe(-BigInt(bought.paidWei));
    expect(after[2]! - before[2]!).toBe(fee);
    expect(after[0]! - before[0]!).toBe(BigInt(bought.paidWei) - fee);

    const first = await callerApi.callModel({ body: { modelId: published.modelId, input } });
    expect(first.servedBy).toBe(nodes[0]!.ready.peerId);
    expect(first.outputs).toHaveLength(1);
    expect(first.outputs[0]).toHaveLength(3);
    expect(first.labels).toEqual(irisTemplate.manifest.outputs[0]?.labels);
    expect(first.usesLeft).toBe('1');
    const second = await callerApi.callModel({ body: { modelId: published.modelId, inputs: [input] } });
    expect(second.outputs).toEqual(first.outputs); // the same weights, the same answer
    expect(second.usesLeft).toBe('0');
    expect(await reader.plaza.read.usesLeft([modelId, caller!.address])).toBe(0n);
    await expect(callerApi.callModel({ body: { modelId: published.modelId, input } })).rejects.toMatchObject({
      code: 'MODEL_CALL_UNPAID',
    });
    // serving moved no AIC: the income was split when the uses were bought
    expect(await balances()).toEqual(after);
  });

  it("splits a derived model's income upstream along the manifest's lineage (Payroll)", async () => {
    const parent = await publisherApi.publishModel({ body: { manifest: MANIFEST, pricePerUseAic: '1' } });
    const derived = JSON.stringify({
      ...irisTemplate.manifest,
      name: 'member-mlp-derived',
      lineage: { parents: [{ kind: 'model', id: parent.modelId, shareBps: 3_000 }] },
    });
    // the caller's member publishes the derived model; the publisher's node buys a use of it
    const child = await callerApi.publishModel({ body: { manifest: derived, pricePerUseAic: '10' } });
    const lineage = await reader.registry.read.lineageOf([BigInt(child.modelId)]);
    expect(lineage.map((l) => [l.parentId, l.shareBps])).toEqual([[BigInt(parent.modelId), 3_000]]);
    const owed = () => Promise.all([publisher!.address, caller!.address].map((a) => reader.payroll.read.owed([a])));
    const [owedBefore, callerBalanceBefore] = [await owed(), await reader.token.read.balanceOf([caller!.address])];
    const bought = await publisherApi.buyUses({ body: { assetId: child.modelId, uses: 1, maxTotalAic: '10' } });
    const income = BigInt(bought.paidWei) - BigInt(bought.protocolFeeWei);
    const owedAfter = await owed();
    expect(owedAfter[0]! - owedBefore[0]!).toBe((income * 3_000n) / 10_000n); // the parent's owner, upstream
    expect(owedAfter[1]! - owedBefore[1]!).toBe(income - (income * 3_000n) / 10_000n); // the derived model's owner
    expect(await reader.token.read.balanceOf([caller!.address])).toBe(callerBalanceBefore); // pull payments
  });

  it('refuses buying uses over maxTotalAic before anything is paid', async () => {
    const published = await publisherApi.publishModel({ body: { manifest: MANIFEST, pricePerUseAic: '1' } });
    // the owner raises the price (a TrainedAI mints at 0 and is priced this way)
    const priced = await publisherApi.setModelPrice({ body: { modelId: published.modelId, pricePerUseAic: '3' } });
    expect(priced.pricePerUseWei).toBe(String(3n * 10n ** 18n));
    await expect(
      callerApi.setModelPrice({ body: { modelId: published.modelId, pricePerUseAic: '0' } }),
    ).rejects.toMatchObject({ code: 'LEDGER_REVERTED', details: { errorName: 'NotTokenOwnerOrApproved' } });
    const quote = await callerApi.quoteUses({ query: { assetId: published.modelId, uses: 2 } });
    expect(quote.totalWei).toBe(String(6n * 10n ** 18n));
    const before = await reader.token.read.balanceOf([caller!.address]);
    await expect(
      callerApi.buyUses({ body: { assetId: published.modelId, uses: 2, maxTotalAic: '5' } }),
    ).rejects.toMatchObject({ code: 'API_BUDGET_CAP_EXCEEDED' });
    expect(await reader.token.read.balanceOf([caller!.address])).toBe(before);
  });
});
