// What `aic job status --follow` tells a person (pure): each poll's status goes through a tracker that turns changes
// into events (verifier redrawn, provider replaced, the node retried something, the job stalled or moved again)
// and decides when following ends: settled, failed with a reason, or the --timeout passed.

/** The fields of a job's status the tracker reads (the node API's jobStatus; newer fields are optional). */
export interface FollowedStatus {
  jobId: string;
  state: string;
  provider: string;
  verifier: string;
  resumeFrom: number;
  commitments: number;
  step?: number | undefined;
  totalSteps?: number | undefined;
  trainedAssetId?: string | undefined;
  resultPath?: string | undefined;
  resultError?: string | undefined;
  /** Transient failures the requester's node retried for the job (newer nodes). */
  retries?: number | undefined;
  /** Verifiers redrawn after staying silent past the verify window (newer nodes). */
  redraws?: number | undefined;
  /** Since when nothing has happened to the open job, as the node sees it (newer nodes). */
  stalledSinceMs?: number | undefined;
}

export type FollowEventKind = 'redraw' | 'retry' | 'reassigned' | 'stalled' | 'moving' | 'unreachable' | 'reachable';

export interface FollowEvent {
  event: FollowEventKind;
  jobId: string;
  atMs: number;
  message: string;
}

export type FollowOutcome =
  | { kind: 'settled'; message: string }
  | { kind: 'settled-elsewhere'; message: string }
  | { kind: 'failed'; code: 'JOB_FAILED' | 'JOB_RESULT_FAILED'; message: string; reason: string };

/** States after which a job changes no more on chain. */
export const FAILED_JOB_STATES: readonly string[] = ['Slashed', 'Refunded', 'Expired'];

const FAILURE_REASONS: Record<string, string> = {
  Slashed: 'a verifier proved the provider wrong; its stake was slashed and your escrow is yours again',
  Refunded: 'it was refunded before it finished (expired or cancelled)',
  Expired: 'its deadline passed before it settled; the escrow can be refunded',
};

const NO_ADDRESS = /^0x0{40}$/;
const short = (address: string) => `${address.slice(0, 8)}…${address.slice(-4)}`;

/** Default: report a stall after this long without any change, when the node itself does not say. */
export const DEFAULT_STALL_AFTER_MS = 120_000;

/** True when this node tracks the job as its requester (it has the progress log or the commitments). */
export function isTrackedHere(s: FollowedStatus): boolean {
  return s.step !== undefined || s.commitments > 0 || s.trainedAssetId !== undefined || s.resultError !== undefined;
}

/** The outcome once the job is over, else undefined. */
export function outcomeOf(s: FollowedStatus): FollowOutcome | undefined {
  if (FAILED_JOB_STATES.includes(s.state)) {
    const reason = FAILURE_REASONS[s.state] ?? s.state;
    return { kind: 'failed', code: 'JOB_FAILED', reason, message: `job #${s.jobId} failed: ${s.state}: ${reason}` };
  }
  if (s.resultError !== undefined) {
    return {
      kind: 'failed',
      code: 'JOB_RESULT_FAILED',
      reason: s.resultError,
      message: `job #${s.jobId} settled but its result failed: ${s.resultError}`,
    };
  }
  if (s.trainedAssetId !== undefined) {
    return { kind: 'settled', message: `job #${s.jobId} settled: TrainedAI #${s.trainedAssetId}` };
  }
  if (s.state === 'Settled' && !isTrackedHere(s)) {
    return {
      kind: 'settled-elsewhere',
      message:
        `job #${s.jobId} settled on chain; its TrainedAI and result file are kept by the requester's node, not ` +
        'this one (ask that node: aic --api <its API> job result …)',
    };
  }
  return undefined;
}

export interface FollowTracker {
  /** Events for this poll (in order), given the status and the time it was read. */
  observe(status: FollowedStatus, nowMs: number): FollowEvent[];
  /** One line on where the job stood at the last poll, for the timeout message. */
  lastState(nowMs: number): string;
}

export function createFollowTracker(options: { stallAfterMs?: number } = {}): FollowTracker {
  const stallAfterMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  let last: FollowedStatus | undefined;
  let lastChangeMs = 0;
  let lastKey = '';
  let stalled = false;
  let localRedraws = 0;

  const event = (s: FollowedStatus, kind: FollowEventKind, atMs: number, message: string): FollowEvent => ({
    event: kind,
    jobId: s.jobId,
    atMs,
    message,
  });

  return {
    observe(s, nowMs) {
      const events: FollowEvent[] = [];
      const prev = last;
      if (prev !== undefined) {
        const redraws = (s.redraws ?? 0) - (prev.redraws ?? 0);
        const verifierChanged = !NO_ADDRESS.test(prev.verifier) && prev.verifier !== s.verifier;
        if (redraws > 0 || verifierChanged) {
          localRedraws += Math.max(redraws, 1);
          const total = s.redraws ?? localRedraws;
          const to = NO_ADDRESS.test(s.verifier) ? '' : ` → ${short(s.verifier)}`;
          events.push(
            event(s, 'redraw', nowMs, `verifier redrawn (${total} so far): the drawn verifier stayed silent${to}`),
          );
        }
        const retries = (s.retries ?? 0) - (prev.retries ?? 0);
        if (retries > 0) {
          events.push(
            event(s, 'retry', nowMs, `the node retried a transient failure (${s.retries ?? retries} retries so far)`),
          );
        }
        if (!NO_ADDRESS.test(prev.provider) && !NO_ADDRESS.test(s.provider) && prev.provider !== s.provider) {
          const from = s.resumeFrom > 0 ? `, resuming from checkpoint ${s.resumeFrom}` : '';
          events.push(event(s, 'reassigned', nowMs, `provider replaced: ${short(s.provider)}${from}`));
        }
      }
      const key = changeKey(s);
      if (key !== lastKey) {
        lastKey = key;
        lastChangeMs = nowMs;
      }
      const open = outcomeOf(s) === undefined;
      const nodeSaysStalled = s.stalledSinceMs !== undefined;
      const quietMs = nodeSaysStalled ? nowMs - (s.stalledSinceMs ?? nowMs) : nowMs - lastChangeMs;
      const isStalled = open && (nodeSaysStalled || (prev !== undefined && quietMs >= stallAfterMs));
      if (isStalled && !stalled) {
        events.push(
          event(s, 'stalled', nowMs, `stalled: nothing has happened for ${Math.round(quietMs / 1000)} s (${where(s)})`),
        );
      } else if (!isStalled && stalled && open) {
        events.push(event(s, 'moving', nowMs, `moving again (${where(s)})`));
      }
      stalled = isStalled;
      last = s;
      return events;
    },
    lastState(nowMs) {
      if (last === undefined) return 'no status was read';
      const counters = [
        last.redraws === undefined && localRedraws === 0 ? '' : `${last.redraws ?? localRedraws} redraws`,
        last.retries === undefined ? '' : `${last.retries} retries`,
        `last change ${Math.round((nowMs - lastChangeMs) / 1000)} s ago`,
      ].filter((p) => p !== '');
      return `${where(last)}; ${counters.join(', ')}`;
    },
  };
}

/** What makes a followed status worth a new line (not the poll itself). */
export function changeKey(s: FollowedStatus): string {
  return JSON.stringify([
    s.state,
    s.provider,
    s.verifier,
    s.step,
    s.commitments,
    s.resumeFrom,
    s.trainedAssetId,
    s.resultError,
    s.retries,
    s.redraws,
  ]);
}

function where(s: FollowedStatus): string {
  const progress = s.step === undefined || s.totalSteps === undefined ? '' : `, step ${s.step}/${s.totalSteps}`;
  return `${s.state}${progress}`;
}
