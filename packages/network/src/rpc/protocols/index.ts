export { coordinatesProtocol } from './coordinates.ts';
export { datasetKeyReleaseProtocol } from './dataset-key-release.ts';
export { jobTicketProtocol } from './job-ticket.ts';
export { modelCallProtocol } from './model-call.ts';
export { PEER_EXCHANGE_MAX_PEERS, peerExchangeProtocol } from './peer-exchange.ts';
export { storageChallengeProtocol } from './storage-challenge.ts';
