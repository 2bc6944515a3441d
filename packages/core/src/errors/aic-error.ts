/**
 * Base of every error AIC code throws on purpose.
 *
 * `code` is stable (tests, CLI exit messages and API bodies key on it); `details` carries structured context
 * (never secrets); `cause` keeps the chain. Modelled on viem's BaseError and Lodestar's LodestarError.
 *
 * @example
 * throw new AicError('LEDGER_TX_REVERTED', 'createJob reverted', { details: { reason: 'InsufficientStake' } });
 */
export class AicError<Code extends string = string> extends Error {
  override readonly name: string = 'AicError';
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  /** One line for a CLI or a log: `CODE: message`. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }

  /** A JSON-safe view for API bodies: code, message, details (bigints as strings), cause messages. */
  toJSON(): { code: Code; message: string; details: Record<string, unknown>; causes: string[] } {
    return { code: this.code, message: this.message, details: jsonSafe(this.details), causes: causeChain(this) };
  }
}

/** True when `error` is an AicError, optionally with the given code. */
export function isAicError<C extends string>(error: unknown, code?: C): error is AicError<C> {
  return error instanceof AicError && (code === undefined || error.code === code);
}

/** Messages of the causes below `error`, outermost first. */
export function causeChain(error: Error): string[] {
  const messages: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 8; depth++) {
    messages.push(cause.message.split('\n')[0] ?? '');
    cause = cause.cause;
  }
  return messages;
}

function jsonSafe(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Record<
    string,
    unknown
  >;
}
