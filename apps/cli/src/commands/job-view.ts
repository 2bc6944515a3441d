import { weiToAic } from '@aic/core';
import type { RouteResponse } from '@aic/node/api';
import { type FollowEvent, outcomeOf } from './job-follow.ts';

// How `aic job …` shows quotes, statuses, log lines and follow events (pure).

export type JobQuote = RouteResponse<'quoteJob'>;
export type JobStatus = RouteResponse<'jobStatus'>;
export type JobLogLine = RouteResponse<'jobLogs'>['lines'][number];

export const aic = (wei: string) => `${weiToAic(BigInt(wei))} AIC`;
const NO_ADDRESS = /^0x0{40}$/;
const who = (address: string) => (NO_ADDRESS.test(address) ? '(none yet)' : address);

/** The quote, line by line, as shown before paying. */
export function describeQuote(q: JobQuote): string {
  return [
    `total          ${aic(q.totalWei)}`,
    `  provider     ${aic(q.providerWei)}`,
    `  protocol fee ${aic(q.protocolFeeWei)}`,
    `  dataset fee  ${aic(q.datasetFeeWei)}`,
    `  model fee    ${aic(q.modelFeeWei)}`,
    `  verifier fee ${aic(q.verifierFeeWei)}`,
    `segments       ${q.segments} (${q.totalSteps} steps)`,
    `verification   ${q.samples} segments re-run; P(detect) ${q.pDetect.toFixed(4)} against 10 % faked segments`,
    `overhead       ${(q.overhead * 100).toFixed(1)} % extra compute for verification`,
    q.verification.mode === 'exact'
      ? 'mode           exact: each re-run segment must reproduce its commitment bit for bit'
      : `mode           tolerant: a re-run segment is accepted within relative L2 ${q.verification.maxRelativeL2} (re-run on ${q.verification.verifyBackends.join(' or ')})`,
  ].join('\n');
}

/** The full status block of `aic job status`. */
export function describeStatus(s: JobStatus): string {
  const lines = [
    `job           #${s.jobId}`,
    `state         ${s.state}`,
    `provider      ${who(s.provider)}`,
    `verifier      ${who(s.verifier)}`,
    `progress      ${progressOf(s)}`,
    `commitments   ${s.commitments} (checkpoints ${s.checkpointCount}, resumes from ${s.resumeFrom})`,
  ];
  if (s.group) {
    lines.push(`group         ${s.group.members.map((m, rank) => `rank ${rank} ${who(m)}`).join(', ')}`);
    for (const p of s.group.paid ?? []) lines.push(`  paid        ${who(p.account)} ${aic(p.wei)}`);
  }
  if (s.trainedAssetId !== undefined) lines.push(`trained AI    #${s.trainedAssetId}`);
  if (s.resultCid !== undefined) lines.push(`result CID    ${s.resultCid}`);
  if (s.resultPath !== undefined) lines.push(`result path   ${s.resultPath}`);
  if (s.resultError !== undefined) lines.push(`result error  ${s.resultError}`);
  const counters = countersOf(s);
  if (counters !== '') lines.push(`incidents     ${counters}`);
  return lines.join('\n');
}

/** One line per change while following a job. */
export function statusLine(s: JobStatus, atMs: number): string {
  const parts = [clock(atMs), `#${s.jobId}`, s.state, progressOf(s)];
  if (!NO_ADDRESS.test(s.provider)) parts.push(`provider ${s.provider}`);
  if (!NO_ADDRESS.test(s.verifier)) parts.push(`verifier ${s.verifier}`);
  if (s.commitments > 0) parts.push(`commitments ${s.commitments}`);
  if (s.resumeFrom > 0) parts.push(`resumes from ${s.resumeFrom}`);
  if (s.trainedAssetId !== undefined) parts.push(`TrainedAI #${s.trainedAssetId}`);
  const counters = countersOf(s);
  if (counters !== '') parts.push(counters);
  return parts.join('  ');
}

/** One progress line of `aic job logs`. */
export function logLine(l: JobLogLine): string {
  const parts = [clock(l.atMs), `step ${l.step}/${l.totalSteps}`];
  if (l.loss !== undefined) parts.push(`loss ${l.loss.toFixed(4)}`);
  if (l.accuracy !== undefined) parts.push(`accuracy ${l.accuracy.toFixed(3)}`);
  parts.push(`provider ${l.provider}`);
  if (l.checkpoint !== undefined) parts.push(`checkpoint ${l.checkpoint}`);
  return parts.join('  ');
}

/** "2 verifier redraws, 1 retry" from the counters newer nodes report ('' when there are none). */
function countersOf(s: JobStatus): string {
  const { redraws, retries } = s as { redraws?: number; retries?: number };
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return [
    redraws ? plural(redraws, 'verifier redraw') : '',
    retries ? plural(retries, 'retry').replace('retrys', 'retries') : '',
  ]
    .filter((p) => p !== '')
    .join(', ');
}

function progressOf(s: JobStatus): string {
  if (s.step === undefined || s.totalSteps === undefined) return 'no progress yet';
  const percent = s.totalSteps > 0 ? ` (${((100 * s.step) / s.totalSteps).toFixed(1)} %)` : '';
  const loss = s.loss === undefined ? '' : `  loss ${s.loss.toFixed(4)}`;
  const accuracy = s.accuracy === undefined ? '' : `  accuracy ${s.accuracy.toFixed(3)}`;
  return `step ${s.step}/${s.totalSteps}${percent}${loss}${accuracy}`;
}

/** UTC time of day with milliseconds, e.g. 14:03:07.412. */
export function clock(atMs: number): string {
  return new Date(atMs).toISOString().slice(11, 23);
}

/** True once nothing more will happen: settled with its TrainedAI NFT (or settled on a node that is not the
 * requester's, or its result failed), or slashed, refunded, expired. */
export function isJobDone(s: JobStatus): boolean {
  return outcomeOf(s) !== undefined;
}

/** One line per follow event, e.g. `14:03:07.412  #3  verifier redrawn (1 so far): …`. */
export function eventLine(e: FollowEvent): string {
  return `${clock(e.atMs)}  #${e.jobId}  ${e.message}`;
}
