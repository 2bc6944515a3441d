// Bounds on what an error may put into an API body or a log line: a viem error carries a whole contract ABI (~32 KB)
// and a revert's arguments can be long; neither may reach a log line or a response unbounded.

/** Longest message kept (characters). */
export const MAX_MESSAGE_CHARS = 512;
/** Largest JSON of an error's details kept (characters); larger details are replaced by a truncated preview. */
export const MAX_DETAILS_CHARS = 1024;

export function truncateText(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Details as JSON-safe values (bigints as strings), at most MAX_DETAILS_CHARS of JSON. */
export function boundDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let json: string;
  try {
    json = JSON.stringify(details, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '{}';
  } catch {
    return { truncated: true };
  }
  if (json.length <= MAX_DETAILS_CHARS) return JSON.parse(json) as Record<string, unknown>;
  return { truncated: true, preview: truncateText(json, MAX_DETAILS_CHARS / 2) };
}

/** What a log line says about an error: type, code, bounded message and details, the first lines of its causes. */
export function boundedError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: truncateText(String(error)) };
  const code = (error as { code?: unknown }).code;
  const details = (error as { details?: unknown }).details;
  const causes: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    causes.push(truncateText(cause.message.split('\n')[0] ?? '', 200));
    cause = cause.cause;
  }
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: truncateText(error.message.split('\n')[0] ?? ''),
    ...(details !== null && typeof details === 'object'
      ? { details: boundDetails(details as Record<string, unknown>) }
      : {}),
    ...(causes.length > 0 ? { causes } : {}),
    ...(error.stack === undefined ? {} : { stack: truncateText(error.stack, 600) }),
  };
}

/** Longest log field kept (characters of a string, or of an object's JSON). */
export const MAX_LOG_FIELD_CHARS = 1024;

/**
 * pino's `formatters.log`: errors become {@link boundedError}, long strings are cut and large objects replaced by a
 * preview, so no log line grows past a few KiB whatever a caller logs (README "Logs").
 */
export function boundLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = boundedError(value);
    else if (typeof value === 'string') out[key] = truncateText(value, MAX_LOG_FIELD_CHARS);
    else if (value !== null && typeof value === 'object') out[key] = boundObject(value);
    else out[key] = value;
  }
  return out;
}

function boundObject(value: object): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return '[unserializable]';
  }
  if (json === undefined || json.length <= MAX_LOG_FIELD_CHARS) return value;
  return { truncated: true, preview: truncateText(json, MAX_LOG_FIELD_CHARS / 2) };
}
