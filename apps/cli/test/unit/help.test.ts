import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram, runCli } from '../../src/program.ts';
import { captureIo } from '../helpers/capture-io.ts';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

describe('aic help and usage errors', () => {
  const paths = commandPaths(createProgram(captureIo().io));

  it('has the documented commands', () => {
    const names = paths.map((p) => p.join(' '));
    for (const expected of [
      'account new',
      'account import',
      'account list',
      'account address',
      'node start',
      'node status',
      'peers',
      'offers list',
      'offers publish',
      'jobs announce',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(paths.map((p) => [p.join(' '), p] as const))('prints help for "%s"', async (_name, path) => {
    const { io, out } = captureIo();
    expect(await runCli([...path, '--help'], io)).toBe(0);
    expect(out()).toContain(`Usage: aic ${path.join(' ')}`);
  });

  it('reports an unknown option as one line with exit code 2', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['peers', '--frobnicate'], io)).toBe(2);
    expect(err()).toBe("CLI_INVALID_ARGUMENT: unknown option '--frobnicate'\n");
  });

  it('reports a missing password without a terminal as PASSWORD_REQUIRED', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['--data-dir', '/nonexistent-aic', 'account', 'new'], io)).toBe(1);
    expect(err()).toMatch(/^PASSWORD_REQUIRED: /);
  });
});
