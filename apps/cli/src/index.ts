/** @aic/cli — the `aic` command line. Embed it with `runCli(argv, io)`. */

export * from './errors.ts';
export type { CliIo } from './io.ts';
export { createProgram, runCli } from './program.ts';
