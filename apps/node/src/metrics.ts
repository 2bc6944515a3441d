import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Every metric the node exports at /metrics, in one typed object. Names carry units (Prometheus conventions). */
export interface NodeMetrics {
  registry: Registry;
  httpRequestsTotal: Counter<'method' | 'route' | 'status'>;
  httpRequestDurationSeconds: Histogram<'method' | 'route'>;
  offersPublishedTotal: Counter;
  offersReceivedTotal: Counter;
  jobAnnouncementsPublishedTotal: Counter;
  jobAnnouncementsReceivedTotal: Counter;
  peersConnected: Gauge;
  stateWritesTotal: Counter<'file'>;
  stateWriteDurationSeconds: Histogram;
  /** Dataset bytes fetched from holders for jobs (0 for a job whose shards were cached). */
  datasetBytesFetchedTotal: Counter;
  datasetFetchBytesTotal: Counter<'path'>;
}

/** Creates the metrics on a fresh registry (one per node, so tests can run several nodes in one process). */
export function createNodeMetrics(opts: { defaultMetrics?: boolean } = {}): NodeMetrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'aic_node_' });
  const registers = [registry];
  return {
    registry,
    httpRequestsTotal: new Counter({
      name: 'aic_http_requests_total',
      help: 'HTTP API requests by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpRequestDurationSeconds: new Histogram({
      name: 'aic_http_request_duration_seconds',
      help: 'HTTP API request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    }),
    offersPublishedTotal: new Counter({
      name: 'aic_offers_published_total',
      help: 'Offers this node published',
      registers,
    }),
    offersReceivedTotal: new Counter({
      name: 'aic_offers_received_total',
      help: 'Valid offers received from peers',
      registers,
    }),
    jobAnnouncementsPublishedTotal: new Counter({
      name: 'aic_job_announcements_published_total',
      help: 'Job announcements this node published',
      registers,
    }),
    jobAnnouncementsReceivedTotal: new Counter({
      name: 'aic_job_announcements_received_total',
      help: 'Valid job announcements received from peers',
      registers,
    }),
    peersConnected: new Gauge({ name: 'aic_peers_connected', help: 'Currently connected libp2p peers', registers }),
    stateWritesTotal: new Counter({
      name: 'aic_state_writes_total',
      help: 'Atomic state file writes',
      labelNames: ['file'] as const,
      registers,
    }),
    stateWriteDurationSeconds: new Histogram({
      name: 'aic_state_write_duration_seconds',
      help: 'Duration of one atomic state file write (write, fsync, rename)',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers,
    }),
    datasetBytesFetchedTotal: new Counter({
      name: 'aic_dataset_bytes_fetched_total',
      help: 'Dataset bytes fetched from holders for jobs (plaintext of accepted chunks)',
      registers,
    }),
    datasetFetchBytesTotal: new Counter({
      name: 'aic_dataset_fetch_bytes_total',
      help: "Sealed dataset bytes received for jobs, by path: 'bulk' (holders' bulk TCP path) or 'stream' (libp2p)",
      labelNames: ['path'] as const,
      registers,
    }),
  };
}
