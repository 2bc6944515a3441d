import { HardwareClass } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeProvider } from '../../src/challenge/challenge-provider.ts';
import { hardwareChallengeProtocol } from '../../src/challenge/protocol.ts';
import { serveHardwareChallenges } from '../../src/challenge/serve.ts';
import { startPeer } from '../helpers/peer.ts';

describe('/aic/hw-challenge/2.0.0 between two real peers on 127.0.0.1', () => {
  let challenger: AicNetwork;
  let provider: AicNetwork;
  beforeAll(async () => {
    [challenger, provider] = await Promise.all([startPeer(), startPeer()]);
    await serveHardwareChallenges(provider, { backend: 'cpu' });
    await challenger.connect(provider.multiaddrs()[0]!);
  });
  afterAll(async () => {
    await Promise.all([challenger?.stop(), provider?.stop()]);
  });

  it('passes an honest CPU provider that claims the Cpu class', async () => {
    const outcome = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(outcome).toMatchObject({ passed: true, reason: 'passed', class: HardwareClass.Cpu });
    expect(outcome.round).toBeGreaterThanOrEqual(0);
    expect(outcome.round).toBeLessThan(outcome.challenge.rounds);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(outcome.challenge.deadlineMs);
  });

  it('reveals only to the peer that asked for the work, and only for a recent seed', async () => {
    const stranger = await startPeer();
    try {
      const request = { kind: 'reveal' as const, seed: new Uint8Array(32), round: 0 };
      await expect(
        stranger.request(provider.multiaddrs()[0]!, hardwareChallengeProtocol, request),
      ).rejects.toMatchObject({
        code: 'NETWORK_REMOTE_ERROR',
        details: { code: 'HARDWARE_CHALLENGE_UNKNOWN' },
      });
    } finally {
      await stranger.stop();
    }
  });
});
