import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api.ts';
import { describeError, QueryState } from '../components/QueryState.tsx';
import { formatAic, formatDuration } from '../format.ts';

export function StatusPage() {
  const status = useQuery({
    queryKey: ['status'],
    queryFn: ({ signal }) => apiGet('status', '/v1/status', {}, signal),
    refetchInterval: 5_000,
  });
  const balance = useQuery({
    queryKey: ['balance'],
    queryFn: ({ signal }) => apiGet('balance', '/v1/balance', {}, signal),
    refetchInterval: 10_000,
  });
  return (
    <section aria-labelledby="node-title">
      <h1 id="node-title">This node</h1>
      <QueryState isPending={status.isPending} error={status.error} what="the node's status">
        {() => {
          const s = status.data!;
          const c = s.connectivity;
          return (
            <dl className="facts wide" data-testid="node-status">
              <dt>Role</dt>
              <dd>{s.role ?? 'member'}</dd>
              <dt>Version</dt>
              <dd>{s.version}</dd>
              <dt>Account</dt>
              <dd>
                <code className="wrap">{s.address}</code>
              </dd>
              <dt>Peer id</dt>
              <dd>
                <code className="wrap">{s.peerId}</code>
              </dd>
              <dt>Peers</dt>
              <dd>
                {s.connectedPeers} connected
                {c === undefined ? '' : ` (keeps ${c.targetPeers}, at least ${c.minPeers})`}
                {c?.underconnected ? <span className="badge warn"> re-dialling</span> : null}
              </dd>
              <dt>Up for</dt>
              <dd>{formatDuration(s.uptimeSeconds)}</dd>
              <dt>Balance</dt>
              <dd>
                {balance.data
                  ? `${formatAic(balance.data.aicWei)} AIC (chain ${balance.data.chainId})`
                  : balance.error
                    ? describeError(balance.error)
                    : '…'}
              </dd>
              <dt>Listens on</dt>
              <dd>
                <ul className="plain">
                  {s.multiaddrs.map((m) => (
                    <li key={m}>
                      <code className="wrap">{m}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
          );
        }}
      </QueryState>
    </section>
  );
}
