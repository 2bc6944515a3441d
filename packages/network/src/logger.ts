/**
 * The logger shape this package needs: a structural subset of pino's, so a pino logger (or a child) fits.
 * Level policy (CONVENTIONS.md): `info` for operators, `debug` for developers; message payloads only at `debug`.
 */
export interface NetworkLogger {
  child(bindings: Record<string, unknown>): NetworkLogger;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** A logger that drops everything (the default when the caller passes none). */
export const silentLogger: NetworkLogger = {
  child: () => silentLogger,
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
