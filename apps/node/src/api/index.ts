/** The node's HTTP API definition, shared by the server, the typed client, the CLI and the web client. */
export { API_TOKEN_RE, apiTokenPath, readApiToken } from './api-token.ts';
export { type ApiClient, type ApiClientOptions, createApiClient } from './client.ts';
export {
  API_REQUEST_DOMAIN,
  API_REQUEST_TYPES,
  apiRequestTypedData,
  eip712RequestSigner,
  SIGNATURE_HEADER,
  SIGNED_AT_HEADER,
  type TypedDataSigner,
} from './request-signature.ts';
export * from './routes.ts';
export * from './schemas.ts';
