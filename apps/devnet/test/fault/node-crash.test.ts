/**
 * Issue 18 item 2 with real processes: a devnet node killed from outside (SIGKILL, as the OOM killer would) is
 * reported by the devnet — which node, the signal, its last output lines — restarted after a backoff on the same
 * ports, and rejoins the network (its own API shows its peer again); the devnet's status counts the restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** The devnet's output, with a bounded wait for the first line (after `from`) matching a pattern. */
function outputOf(child: ChildProcess) {
  const lines: string[] = [];
  const waiters: { re: RegExp; from: number; resolve: (m: RegExpExecArray) => void }[] = [];
  const scan = () => {
    for (const w of [...waiters]) {
      for (let i = w.from; i < lines.length; i++) {
        const m = w.re.exec(lines[i]!);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
          break;
        }
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    scan();
  });
  child.stderr!.on('data', (d) => lines.push(String(d)));
  const waitFor = (re: RegExp, timeoutMs: number, from = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${lines.slice(-60).join('\n')}`)),
        timeoutMs,
      );
      waiters.push({
        re,
        from,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
      scan();
    });
  return { lines, waitFor };
}

describe('a devnet node that dies', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('is reported with its signal and last lines, restarted, and rejoins the network', {
    timeout: 240_000,
  }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aic-crash-'));
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/devnet/src/main.ts',
        '--nodes',
        '3',
        '--no-demo-job',
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out = outputOf(child);
    const [, rpcUrl] = await out.waitFor(/ready in .* RPC (http:\/\/127\.0\.0\.1:\d+)/, 180_000);
    const [, apiUrl, pid] = await out.waitFor(/node 1 \(gpu-provider\) ready: api (\S+) .* pid (\d+)/, 1_000);
    expect(out.lines.join('\n')).toMatch(/bootstrap {3}\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/16U\w+/);

    const mark = out.lines.length;
    process.kill(Number(pid), 'SIGKILL');
    const died = await out.waitFor(
      /node 1 \(gpu-provider\) DIED \(signal SIGKILL\) after [\d.]+ s; its last (\d+) output lines:/,
      30_000,
      mark,
    );
    expect(Number(died[1])).toBeGreaterThan(0);
    const diedAt = out.lines.findIndex((l, i) => i >= mark && l.includes('DIED'));
    expect(out.lines[diedAt + 1]).toMatch(/^ {4}\| /); // its last lines follow, one per line
    await out.waitFor(/node 1 \(gpu-provider\) restarting in 1 s \(crash 1 in a row\)/, 10_000, mark);
    const [, newApi, newPid] = await out.waitFor(
      /node 1 \(gpu-provider\) restarted \(1 restarts\): api (\S+) pid (\d+)/,
      180_000,
      mark,
    );
    expect(newApi).toBe(apiUrl); // same ports, so its multiaddr and API address stay valid
    expect(newPid).not.toBe(pid);

    // It rejoins: its own API shows it connected again (bounded poll of a condition).
    const until = Date.now() + 60_000;
    let peers = 0;
    while (Date.now() < until) {
      peers = ((await (await fetch(`${newApi}/v1/status`)).json()) as { connectedPeers: number }).connectedPeers;
      if (peers >= 1) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(peers).toBeGreaterThanOrEqual(1);

    const status = (await (await fetch(`${rpcUrl}/status`)).json()) as {
      nodes: {
        index: number;
        state: string;
        restarts: number;
        pid: number;
        lastExit?: { signal: string; lastLines: string[] };
      }[];
    };
    const node1 = status.nodes.find((n) => n.index === 1)!;
    expect(node1).toMatchObject({
      state: 'running',
      restarts: 1,
      pid: Number(newPid),
      lastExit: { signal: 'SIGKILL' },
    });
    expect(node1.lastExit!.lastLines.length).toBeGreaterThan(0);
    expect(status.nodes.filter((n) => n.index !== 1).every((n) => n.state === 'running' && n.restarts === 0)).toBe(
      true,
    );

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
