import type { CliIo } from './io.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Runs `work` while showing a spinner with elapsed time on stderr (only when stderr is a terminal, so pipes and
 * --json output stay clean), then a ✓/✗ line.
 */
export async function withProgress<T>(io: CliIo, label: string, work: () => Promise<T>): Promise<T> {
  if (io.stderr.isTTY !== true) return work();
  const started = Date.now();
  let frame = 0;
  const draw = (mark: string) => `\r\x1b[2K${mark} ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`;
  const timer = setInterval(() => io.stderr.write(draw(FRAMES[frame++ % FRAMES.length] ?? '.')), 80);
  try {
    const result = await work();
    io.stderr.write(`${draw('✓')}\n`);
    return result;
  } catch (error) {
    io.stderr.write(`${draw('✗')}\n`);
    throw error;
  } finally {
    clearInterval(timer);
  }
}
