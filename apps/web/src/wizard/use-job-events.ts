/**
 * A job's live events from the node (GET /v1/jobs/events, server-sent events; apps/node/src/api/job-events.ts):
 * status changes go into the job status query's cache, progress lines into the chart as they arrive, and the
 * placement diagnosis while no provider has the job. The stream closes itself once the job is final.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { JobLogs, JobStatus } from '../api.ts';

type Line = JobLogs['lines'][number];

export interface PlacementDiagnosis {
  blocker: string;
  reason: string;
  offers: number;
  eligibleOffers: number;
}

export interface JobEvents {
  /** True while the stream is open. */
  live: boolean;
  lines: Line[];
  placement: PlacementDiagnosis | undefined;
  /** The last read the node reported as failed (the stream goes on). */
  error: string | undefined;
}

export function useJobEvents(jobId: string): JobEvents {
  const queryClient = useQueryClient();
  const [state, setState] = useState<JobEvents>({ live: false, lines: [], placement: undefined, error: undefined });
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    setState({ live: false, lines: [], placement: undefined, error: undefined });
    const source = new EventSource(`/v1/jobs/events?jobId=${encodeURIComponent(jobId)}`);
    const parse = (event: Event) => JSON.parse((event as MessageEvent<string>).data) as unknown;
    source.onopen = () => setState((s) => ({ ...s, live: true }));
    source.addEventListener('status', (event) => {
      const status = parse(event) as JobStatus;
      queryClient.setQueryData(['jobStatus', jobId], status);
      if (status.state !== 'Created' && status.state !== 'Escrowed') {
        setState((s) => ({ ...s, placement: undefined }));
      }
    });
    source.addEventListener('progress', (event) => {
      const line = parse(event) as Line;
      setState((s) => ({ ...s, lines: [...s.lines, line] }));
    });
    source.addEventListener('placement', (event) => {
      setState((s) => ({ ...s, placement: parse(event) as PlacementDiagnosis }));
    });
    source.addEventListener('error', (event) => {
      // A node-sent `error` event carries data; a dropped connection does not (EventSource reconnects by itself).
      const data = (event as MessageEvent<string>).data;
      if (typeof data === 'string')
        setState((s) => ({ ...s, error: (JSON.parse(data) as { message: string }).message }));
    });
    source.addEventListener('end', () => {
      source.close();
      setState((s) => ({ ...s, live: false }));
    });
    return () => source.close();
  }, [jobId, queryClient]);
  return state;
}
