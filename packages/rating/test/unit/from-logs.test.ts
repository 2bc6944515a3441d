import { describe, expect, it } from 'vitest';
import { type ChainLog, ratingEventsFromLogs } from '../../src/index.ts';

const A = '0x00000000000000000000000000000000000000AA';
const P = '0x00000000000000000000000000000000000000BB';
const O = '0x00000000000000000000000000000000000000CC';
let index = 0;
const log = (contract: string, eventName: string, args: Record<string, unknown>, timestamp = 100n): ChainLog => ({
  contract,
  eventName,
  args,
  blockNumber: BigInt(++index),
  logIndex: 0,
  timestamp,
});

describe('chain logs → rating events', () => {
  it('turns a settled job into paid usage, verified work and a completed outcome for each resource', () => {
    const events = ratingEventsFromLogs(
      [
        log('AssetRegistry', 'AssetMinted', { tokenId: 1n, owner: O, kind: 1 }),
        log('AssetRegistry', 'AssetMinted', { tokenId: 2n, owner: O, kind: 2 }),
        log('ComputeMarket', 'ProviderRegistered', { provider: P, hwClass: 0, stake: 500n }),
        log('ComputeMarket', 'JobCreated', { jobId: 7n, requester: A, datasetId: 1, modelId: 2 }),
        log('ComputeMarket', 'JobAssigned', { jobId: 7n, provider: P, price: 40n, seed: 1n }),
        log(
          'ComputeMarket',
          'JobSettled',
          { jobId: 7n, providerPaid: 40n, protocolFee: 1n, datasetFee: 2n, modelFee: 3n, verifierFee: 3n, refund: 0n },
          3_700n,
        ),
      ],
      { genesis: 0n, epochDurationSec: 3_600n },
    );
    const settled = events.filter((e) => e.epoch === 1);
    expect(settled.map((e) => e.type)).toEqual(['UsagePaid', 'WorkVerified', 'JobOutcome', 'UsagePaid', 'UsagePaid']);
    expect(settled).toContainEqual(
      expect.objectContaining({
        type: 'UsagePaid',
        resource: `gpu:${P.toLowerCase()}`,
        payer: A.toLowerCase(),
        amountWei: 40n,
      }),
    );
    expect(settled).toContainEqual(expect.objectContaining({ type: 'UsagePaid', resource: 'asset:1', amountWei: 2n }));
    expect(settled).toContainEqual(expect.objectContaining({ type: 'UsagePaid', resource: 'asset:2', amountWei: 3n }));
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'ResourceRegistered',
        resource: 'asset:1',
        kind: 'dataset',
        owner: O.toLowerCase(),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'StakeSet', account: P.toLowerCase(), stakeWei: 500n }),
    );
  });

  it('records fraud, honest faults and funding, and ignores mints and burns of AIC', () => {
    const events = ratingEventsFromLogs(
      [
        log('ComputeMarket', 'JobCreated', { jobId: 1n, requester: A, datasetId: 0, modelId: 0 }),
        log('ComputeMarket', 'JobAssigned', { jobId: 1n, provider: P }),
        log('ComputeMarket', 'JobExpired', { jobId: 1n }),
        log('ComputeMarket', 'ProviderSlashed', { jobId: 2n, provider: P, amount: 9n }),
        log('AICToken', 'Transfer', { from: A, to: O, value: 5n }),
        log('AICToken', 'Transfer', { from: '0x0000000000000000000000000000000000000000', to: O, value: 5n }),
      ],
      { genesis: 0n, epochDurationSec: 3_600n },
    );
    expect(events.map((e) => e.type)).toEqual(['JobOutcome', 'FraudProven', 'Funded']);
    expect(events[0]).toMatchObject({ completed: false });
  });
});
