import { randomBytes } from 'node:crypto';
import { HardwareClass } from '@aic/ledger';
import type { AicNetwork } from '@aic/network';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareChallenge } from '../../src/challenge/challenge.ts';
import { challengeProvider } from '../../src/challenge/challenge-provider.ts';
import { hashProduct } from '../../src/challenge/matrices.ts';
import {
  concatHashes,
  type HardwareChallengeResponse,
  hardwareChallengeProtocol,
} from '../../src/challenge/protocol.ts';
import { createHardwareChallengeHandler, type WorkReport } from '../../src/challenge/serve.ts';
import { revealRound } from '../../src/challenge/solve.ts';
import { startPeer } from '../helpers/peer.ts';

/** Resolves with the next work report of the honest handler; rejects after `timeoutMs` (a bound, not a sleep). */
function nextWorkReport(timeoutMs = 30_000): Promise<WorkReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no work report within ${timeoutMs} ms`)), timeoutMs);
    onWork = (report) => {
      clearTimeout(timer);
      resolve(report);
    };
  });
}
let onWork: (report: WorkReport) => void = () => {};
const honest = createHardwareChallengeHandler({ backend: 'cpu', onWork: (report) => onWork(report) });

/** Flips one bit of an int32 entry: still a plausible product, but not A·B. */
function tamper(product: Uint8Array): Uint8Array {
  const copy = product.slice();
  copy[4 * 7] = (copy[4 * 7] ?? 0) ^ 1;
  return copy;
}

describe('a provider that over-claims or cheats fails its hardware-class challenge', () => {
  let challenger: AicNetwork;
  let provider: AicNetwork;
  beforeAll(async () => {
    [challenger, provider] = await Promise.all([startPeer(), startPeer()]);
    await challenger.connect(provider.multiaddrs()[0]!);
  });
  afterAll(async () => {
    await Promise.all([challenger?.stop(), provider?.stop()]);
  });

  it.each([
    ['DatacenterGpu', HardwareClass.DatacenterGpu],
    ['ConsumerGpu', HardwareClass.ConsumerGpu],
  ])('an honest CPU claiming %s misses the deadline, and stops working once it passed', async (_name, claimed) => {
    await provider.handle(hardwareChallengeProtocol, honest);
    const workEnded = nextWorkReport();
    const outcome = await challengeProvider(challenger, provider.peerId, claimed);
    expect(outcome).toMatchObject({ passed: false, reason: 'deadline-missed', class: claimed });
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(outcome.challenge.deadlineMs);
    expect(outcome.round).toBeUndefined(); // nothing was revealed: the late answer failed on its own
    const report = await workEnded;
    expect(report).toMatchObject({ outcome: 'aborted', rounds: outcome.challenge.rounds });
    expect(report.roundsDone).toBeLessThan(outcome.challenge.rounds / 10);
  });

  it('the same CPU claiming Cpu passes on the same handler afterwards (the aborted work freed it)', async () => {
    await provider.handle(hardwareChallengeProtocol, honest);
    const outcome = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(outcome).toMatchObject({ passed: true, reason: 'passed' });
  });

  it('made-up hashes fail the hash check of the revealed round', async () => {
    let last: HardwareChallenge | undefined;
    await provider.handle(hardwareChallengeProtocol, async (request): Promise<HardwareChallengeResponse> => {
      if (request.kind === 'work') {
        last = request.challenge;
        return { kind: 'work', hashes: randomBytes(32 * request.challenge.rounds) };
      }
      return { kind: 'reveal', product: await revealRound(last!, request.round) }; // true products, too late
    });
    const outcome = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(outcome).toMatchObject({ passed: false, reason: 'hash-mismatch' });
    expect(outcome.round).toBeDefined();
  });

  it('an honest computation with a tampered reveal fails the hash check', async () => {
    await provider.handle(hardwareChallengeProtocol, async (request, context) => {
      const answer = await honest(request, context);
      return answer.kind === 'reveal' ? { kind: 'reveal', product: tamper(answer.product) } : answer;
    });
    const outcome = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(outcome).toMatchObject({ passed: false, reason: 'hash-mismatch' });
  });

  it('wrong products committed and revealed consistently fail Freivalds', async () => {
    let last: HardwareChallenge | undefined;
    await provider.handle(hardwareChallengeProtocol, async (request): Promise<HardwareChallengeResponse> => {
      if (request.kind === 'work') {
        last = request.challenge;
        const hashes: Uint8Array[] = [];
        for (let r = 0; r < request.challenge.rounds; r++) {
          hashes.push(hashProduct(tamper(await revealRound(request.challenge, r))));
        }
        return { kind: 'work', hashes: concatHashes(hashes) };
      }
      return { kind: 'reveal', product: tamper(await revealRound(last!, request.round)) };
    });
    const outcome = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(outcome).toMatchObject({ passed: false, reason: 'freivalds-failed' });
  });

  it('too few hashes fail as a malformed answer, a refused reveal and a missing handler as peer errors', async () => {
    await provider.handle(hardwareChallengeProtocol, async (request, context) => {
      if (request.kind === 'work') return { kind: 'work', hashes: new Uint8Array(32) };
      return await honest(request, context);
    });
    const short = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(short).toMatchObject({ passed: false, reason: 'malformed-answer' });

    await provider.handle(hardwareChallengeProtocol, async (request, context) => {
      if (request.kind === 'work') return await honest(request, context);
      return { kind: 'reveal', product: new Uint8Array(0) };
    });
    const empty = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(empty).toMatchObject({ passed: false, reason: 'malformed-answer' });

    await provider.unhandle(hardwareChallengeProtocol);
    const missing = await challengeProvider(challenger, provider.peerId, HardwareClass.Cpu);
    expect(missing).toMatchObject({ passed: false, reason: 'peer-error' });
  });
});
