/**
 * Runs a networked job in a test and, when it fails or times out, rethrows with what the run printed and what the
 * nodes logged about it: a stuck job on CI is diagnosable from the failure message alone.
 */
import type { JobNetwork } from '../../src/job-network.ts';
import { type NetworkedJobOptions, type NetworkedJobReport, runNetworkedJob } from '../../src/networked-job.ts';

const NODE_LINES = /preempt|reassign|assigned|committed|verdict|dispute|slash|challenge|failed|error|warn|exited/;

export interface TestJobRun {
  report: NetworkedJobReport;
  /** The run's own lines and the nodes' job lines, for assertion messages. */
  context: () => string;
}

/** `runNetworkedJob` on `net` with the job log collected and a deadline well inside the test's own timeout. */
export async function runTestJob(
  net: JobNetwork,
  options: Omit<NetworkedJobOptions, 'chain' | 'dev' | 'nodes' | 'log' | 'signal'> = {},
): Promise<TestJobRun> {
  const log: string[] = [];
  const context = () =>
    [...log, '--- node lines ---', ...net.lines.filter((l) => NODE_LINES.test(l)).map((l) => l.slice(0, 400))]
      .slice(-120)
      .join('\n');
  try {
    const report = await runNetworkedJob({
      chain: net.chain,
      dev: net.dev,
      nodes: net.nodes,
      log: (l) => log.push(l),
      signal: new AbortController().signal,
      timeoutMs: 240_000,
      ...options,
    });
    return { report, context };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${context()}`, { cause: error });
  }
}
