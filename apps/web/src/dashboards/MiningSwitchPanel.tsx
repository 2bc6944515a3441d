import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { formatAic, formatDuration } from '../format.ts';

const MODE_LABEL = { ai: 'AI job', mining: 'Mining', owner: "Owner's own use", idle: 'Idle' } as const;

/**
 * Multi-task switching on this node (white paper Fig. 11, `--mining-command`): the mode the GPU is in now, and time
 * and earnings per mode — AI jobs (AIC from settled jobs, from the chain) against mining (hashes the miner reported).
 * Shown only where this node runs a miner.
 */
export function MiningSwitchPanel() {
  const report = useQuery({
    queryKey: ['provider-switching'],
    queryFn: ({ signal }) => apiGet('providerSwitching', '/v1/provider/switching', {}, signal),
    refetchInterval: 5_000,
  });
  const s = report.data?.switching;
  if (!report.data?.enabled || s === undefined) return null;
  return (
    <div data-testid="mining-switch" data-mode={s.mode}>
      <h3>Multi-task switching (this node)</h3>
      <p>
        Now: <strong>{MODE_LABEL[s.mode]}</strong> · miner {s.miner.state} ({s.suspend} suspension
        {s.miner.lastSuspendMs === undefined ? '' : `, last in ${s.miner.lastSuspendMs.toFixed(0)} ms`}) · yields to the
        owner at {s.ownerThresholdPercent} % GPU use
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col" className="num">
              Time
            </th>
            <th scope="col">Earned</th>
          </tr>
        </thead>
        <tbody>
          <tr data-mode="ai">
            <td>{MODE_LABEL.ai}</td>
            <td className="num">{formatDuration(s.timeMs.ai / 1000)}</td>
            <td>
              {formatAic(s.earnings.ai.earnedWei)} AIC from {s.earnings.ai.jobsSettled} settled job
              {s.earnings.ai.jobsSettled === 1 ? '' : 's'}
            </td>
          </tr>
          <tr data-mode="mining">
            <td>{MODE_LABEL.mining}</td>
            <td className="num">{formatDuration(s.timeMs.mining / 1000)}</td>
            <td>{s.earnings.mining.hashes.toLocaleString('en')} hashes</td>
          </tr>
          <tr data-mode="owner">
            <td>{MODE_LABEL.owner}</td>
            <td className="num">{formatDuration(s.timeMs.owner / 1000)}</td>
            <td>—</td>
          </tr>
          <tr data-mode="idle">
            <td>{MODE_LABEL.idle}</td>
            <td className="num">{formatDuration(s.timeMs.idle / 1000)}</td>
            <td>{s.miner.crashes === 0 ? '—' : `${s.miner.crashes} miner restarts`}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
