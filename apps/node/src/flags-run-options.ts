/**
 * Resolved flag values → the node's `RunNodeOptions` (and the test-only fault switches read from the environment).
 * Kept apart from the table so the table says what a flag is and this file what it feeds; a flag that feeds the
 * node is one line here.
 */

import { AicError, aicToWei } from '@aic/core';
import { type AicPreset, presetOf } from '@aic/core/params';
import type { NodeFlagValues } from './flags.ts';
import type { RunNodeOptions } from './options.ts';

/** Fault injection for tests (never set in production): a cheating provider, a lazy verifier, a verifier that
 * ignores its first draw of every job (as if offline), a rater that proposes wrong scores, a coordinator that proposes
 * providers off each job's seeded shortlist (and never the right one). */
export const FAULT_ENV = {
  fakeSegments: 'AIC_FAULT_FAKE_SEGMENTS',
  lazyVerifier: 'AIC_FAULT_LAZY_VERIFIER',
  silentVerifier: 'AIC_FAULT_SILENT_FIRST_DRAW',
  wrongScores: 'AIC_FAULT_WRONG_SCORES',
  lyingReferee: 'AIC_FAULT_LYING_REFEREE',
  wrongAssignment: 'AIC_FAULT_WRONG_ASSIGNMENT',
} as const;

/** $AIC_FAULT_LYING_REFEREE: '1' lies on every committee, 'first-round' only on a first one (a bought first
 * committee; the appeal's fresh referees are honest). */
function lyingRefereeOf(value: string | undefined): { lyingReferee?: 'always' | 'first-round' } {
  if (value === undefined || value === '' || value === '0') return {};
  if (value === '1') return { lyingReferee: 'always' };
  if (value === 'first-round') return { lyingReferee: 'first-round' };
  throw new AicError('CLI_INVALID_ARGUMENT', `${FAULT_ENV.lyingReferee} must be 1 or first-round`);
}

/** The node's run options from resolved flags (the password comes from its own source: file, env or prompt). */
export function runOptionsOf(
  v: NodeFlagValues,
  password: string,
  env: NodeJS.ProcessEnv = process.env,
): RunNodeOptions {
  const preset = presetOf(v.preset);
  return {
    dataDir: v['data-dir'],
    account: v.account,
    keystore: v.keystore,
    password,
    listen: v.listen,
    bootstrap: v.bootstrap,
    apiHost: v['api-host'],
    apiPort: v['api-port'],
    role: v.role,
    rpcUrl: v['rpc-url'],
    deploymentFile: v.deployment,
    ...povValidatorOf(v),
    logLevel: v['log-level'],
    logFormat: v['log-format'],
    republishIntervalMs: v['republish-interval-ms'],
    coordinatesIntervalMs: v['coordinates-interval-ms'],
    targetPeers: v['target-peers'],
    api: {
      allowedHosts: v['api-allow-host'],
      allowedOrigins: v['api-allow-origin'],
      budget: { perJobWei: capWei(v['budget-per-job-aic']), perDayWei: capWei(v['budget-per-day-aic']) },
    },
    jobs: jobRolesOf(v, preset, env),
    ...(v.rater
      ? {
          rater: {
            stakeAic: v['rater-stake-aic'],
            pollIntervalMs: preset.rater.pollIntervalMs,
            lie: env[FAULT_ENV.wrongScores] === '1',
          },
        }
      : {}),
    storage: {
      ...(v.storage
        ? {
            role: {
              capacityMiB: v['storage-capacity-mib'],
              priceAicPerMiBEpoch: v['storage-price-aic-per-mib-epoch'],
              maxCollateralAic: v['storage-max-collateral-aic'],
              answerIntervalMs: preset.storage.answerIntervalMs,
              collectIntervalMs: preset.storage.collectIntervalMs,
            },
          }
        : {}),
      owner: preset.storage,
    },
  };
}

/** `--pov-validator`'s options; its genesis file is required. */
function povValidatorOf(v: NodeFlagValues): Pick<RunNodeOptions, 'povValidator'> {
  if (!v['pov-validator']) return {};
  const genesisFile = v['pov-genesis'];
  if (genesisFile === undefined)
    throw new AicError('CLI_INVALID_ARGUMENT', '--pov-validator needs --pov-genesis <file>');
  return { povValidator: { genesisFile, rpcPort: v['pov-rpc-port'] } };
}

/** A budget cap in wei; '0' means no cap. */
function capWei(aicAmount: string): bigint | undefined {
  const wei = aicToWei(aicAmount);
  return wei === 0n ? undefined : wei;
}

/** Multi-task switching's options, when a mining command is configured (the rest of its defaults from the preset). */
function miningOf(v: NodeFlagValues, preset: AicPreset) {
  const command = v['mining-command'];
  if (command === undefined) return {};
  const { suspendTimeoutMs, sampleIntervalMs, restartBaseMs, restartMaxMs } = preset.mining;
  return {
    mining: {
      command,
      args: v['mining-arg'],
      suspend: v['mining-suspend'],
      ownerThresholdPercent: v['mining-owner-threshold'],
      minDwellMs: v['mining-min-dwell-ms'],
      ...{ suspendTimeoutMs, sampleIntervalMs, restartBaseMs, restartMaxMs },
    },
  };
}

function jobRolesOf(v: NodeFlagValues, preset: AicPreset, env: NodeJS.ProcessEnv): RunNodeOptions['jobs'] {
  const fake = env[FAULT_ENV.fakeSegments];
  const fakeSegmentFraction = fake === undefined ? undefined : Number(fake);
  if (fakeSegmentFraction !== undefined && !(fakeSegmentFraction > 0 && fakeSegmentFraction <= 1)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `${FAULT_ENV.fakeSegments} must be in (0, 1]`);
  }
  return {
    // Every requester watches its jobs' providers (issue 15: it preempts a silent one where the market lets it).
    requester: v['liveness-grace-ms'] === undefined ? {} : { livenessGraceMs: v['liveness-grace-ms'] },
    ...(v.provider
      ? {
          provider: {
            hwClass: v['hw-class'],
            stakeAic: v['stake-aic'],
            priceAicPerHour: v['price-aic-per-hour'],
            memoryMiB: v['worker-memory-mib'],
            timeoutMs: v['worker-timeout-ms'],
            ...miningOf(v, preset),
            offerTtlSeconds: preset.provider.offerTtlSeconds,
            offerRepublishMs: preset.provider.offerRepublishMs,
            fakeSegmentFraction,
          },
        }
      : {}),
    ...(v.verifier
      ? {
          verifier: {
            lazy: env[FAULT_ENV.lazyVerifier] === '1',
            silentOnFirstDraw: env[FAULT_ENV.silentVerifier] === '1',
            ...lyingRefereeOf(env[FAULT_ENV.lyingReferee]),
          },
        }
      : {}),
    ...(v.coordinator
      ? {
          coordinator: {
            livenessGraceMs: v['liveness-grace-ms'],
            canaryIntervalMs: v['canary-interval-ms'],
            rechallengeAfterMs: preset.coordinator.rechallengeAfterMs,
            ...(env[FAULT_ENV.wrongAssignment] === '1' ? { wrongAssignments: true } : {}),
          },
        }
      : {}),
  };
}
