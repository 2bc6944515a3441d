/** @aic/cli — the `aic` command line. Embed it with `runCli(argv, io)`. */
export type { CliIo } from './io.ts';
export { createProgram, runCli } from './program.ts';
