/** Reported by GET /v1/status and the OpenAPI document. */
export const NODE_VERSION = '0.1.0';
