import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { apiGet } from '../api.ts';
import { ProgressChart } from '../components/ProgressChart.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { shortHex } from '../format.ts';
import { useJobEvents } from '../wizard/use-job-events.ts';
import '../wizard/wizard.css';

/** States after which nothing changes any more: polling stops. */
const FINAL_STATE = /settled|failed|refunded|cancel|expired|slashed/i;
/** The market's job ids: positive integers (as `aic job submit` and the devnet print them). */
const JOB_ID = /^[1-9][0-9]{0,18}$/;

export default function JobPage({ jobId }: { jobId: string | undefined }) {
  return (
    <section aria-labelledby="job-title">
      <h1 id="job-title">Jobs</h1>
      <JobIdForm current={jobId} />
      {jobId === undefined ? (
        <p className="muted">Enter the id of a job this node requested (aic job submit prints it).</p>
      ) : (
        <JobView jobId={jobId} />
      )}
    </section>
  );
}

function JobIdForm({ current }: { current: string | undefined }) {
  const [value, setValue] = useState(current ?? '');
  const [error, setError] = useState<string | undefined>();
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = value.trim();
    if (!JOB_ID.test(id)) {
      setError('A job id is a positive whole number, such as 1 (aic job submit prints it).');
      return;
    }
    setError(undefined);
    window.location.hash = `#/job/${encodeURIComponent(id)}`;
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor={inputId}>Job id</label>
      <input
        id={inputId}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : errorId}
        placeholder="e.g. 1"
        inputMode="numeric"
      />
      <button type="submit">Open</button>
      {error === undefined ? null : (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function JobView({ jobId }: { jobId: string }) {
  // Live events (server-sent) push status and progress; polling is the fallback while the stream is not open.
  const events = useJobEvents(jobId);
  const status = useQuery({
    queryKey: ['jobStatus', jobId],
    queryFn: ({ signal }) => apiGet('jobStatus', '/v1/jobs/status', { jobId }, signal),
    refetchInterval: (query) => (events.live || FINAL_STATE.test(query.state.data?.state ?? '') ? false : 2_000),
  });
  const finished = FINAL_STATE.test(status.data?.state ?? '');
  const logs = useQuery({
    queryKey: ['jobLogs', jobId],
    queryFn: ({ signal }) => apiGet('jobLogs', '/v1/jobs/logs', { jobId }, signal),
    enabled: status.isSuccess,
    refetchInterval: finished || events.live ? false : 2_000,
  });
  const polled = logs.data?.lines ?? [];
  const lines = events.lines.length >= polled.length ? events.lines : polled;
  return (
    <QueryState isPending={status.isPending} error={status.error} what={`job #${jobId}`}>
      {() => {
        const s = status.data!;
        const progress = s.totalSteps ? Math.min(1, (s.step ?? 0) / s.totalSteps) : 0;
        return (
          <>
            <dl className="facts wide" data-testid="job-status" data-live={events.live}>
              <dt>State</dt>
              <dd>
                <span className="badge">{s.state}</span>
              </dd>
              <dt>Progress</dt>
              <dd>
                <progress max={1} value={progress} aria-label="training progress" />{' '}
                {s.totalSteps
                  ? `step ${s.step ?? 0} of ${s.totalSteps}`
                  : finished
                    ? 'finished (no progress reached this node)'
                    : 'not started'}
              </dd>
              <dt>Loss / accuracy</dt>
              <dd>
                {s.loss === undefined ? '–' : s.loss.toFixed(4)} /{' '}
                {s.accuracy === undefined ? '–' : `${(s.accuracy * 100).toFixed(1)} %`}
              </dd>
              <dt>Provider</dt>
              <dd>
                <code>{shortHex(s.provider)}</code>
              </dd>
              <dt>Verifier</dt>
              <dd>
                <code>{shortHex(s.verifier)}</code>
              </dd>
              <dt>Checkpoints</dt>
              <dd>
                {s.checkpointCount} ({s.commitments} committed)
              </dd>
              {s.trainedAssetId === undefined ? null : (
                <>
                  <dt>Trained AI</dt>
                  <dd data-testid="job-trained">NFT #{s.trainedAssetId}</dd>
                </>
              )}
              {s.resultError === undefined ? null : (
                <>
                  <dt>Result</dt>
                  <dd className="error-text">{s.resultError}</dd>
                </>
              )}
              {s.stalledSinceMs === undefined ? null : (
                <>
                  <dt>Stalled</dt>
                  <dd className="error-text">
                    nothing happened since {new Date(s.stalledSinceMs).toLocaleTimeString()}
                  </dd>
                </>
              )}
            </dl>
            {events.placement === undefined || !/^(Created|Escrowed|Preempted)$/.test(s.state) ? null : (
              <p className="notice placement-reason" role="status" data-testid="job-placement">
                <strong>Not placed yet.</strong> {events.placement.reason}
              </p>
            )}
            {events.error === undefined ? null : (
              <p className="muted" data-testid="job-events-error">
                Last update failed: {events.error}
              </p>
            )}
            <h2>Training progress</h2>
            {lines.length > 0 ? (
              <ProgressChart lines={lines} />
            ) : (
              <p className="notice" data-testid="progress-empty">
                {finished
                  ? 'This node holds no progress reports for this job: the provider streams them to the node that requested it.'
                  : 'No progress reported yet: the chart fills in as the provider reports its steps.'}
              </p>
            )}
          </>
        );
      }}
    </QueryState>
  );
}
