/** The node's HTTP API definition, shared by the server, the typed client, the CLI and the web client. */
export { API_TOKEN_RE, apiTokenPath, readApiToken } from './api-token.ts';
export { type ApiClient, type ApiClientOptions, createApiClient } from './client.ts';
export * from './routes.ts';
export * from './schemas.ts';
