/**
 * What Linux says about a process (`/proc/<pid>/stat`): its scheduler state ('R' running, 'S' sleeping, 'T' stopped
 * by a signal …), its process group and the CPU time it used. The switching agent confirms a suspension with it
 * (every process of the miner's group in 'T'), and tests use it as the kernel's word that a miner did not run.
 * Elsewhere (no /proc) the readers answer undefined and the caller trusts the signal.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface ProcStat {
  pid: number;
  /** One letter, see proc(5): R, S, D, T, t, Z, X … */
  state: string;
  ppid: number;
  pgrp: number;
  /** User + system CPU time, in clock ticks (usually 1/100 s). */
  cpuTicks: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. The command name sits in parentheses and may itself hold spaces or ')', so the
 * fields are counted from the last ')'.
 * @example parseProcStat('42 (miner) T 1 42 42 0 -1 4194560 0 0 0 0 7 3 0 0') // { pid: 42, state: 'T', …, cpuTicks: 10 }
 */
export function parseProcStat(line: string): ProcStat | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // After the name: state(3) ppid(4) pgrp(5) session(6) tty(7) tpgid(8) flags(9) minflt … utime(14) stime(15)
  const rest = line
    .slice(close + 2)
    .trim()
    .split(' ');
  const field = (n: number) => Number(rest[n - 3]);
  const state = rest[0];
  if (!Number.isInteger(pid) || state === undefined || state.length !== 1) return undefined;
  const cpuTicks = field(14) + field(15);
  if (!Number.isFinite(cpuTicks)) return undefined;
  return { pid, state, ppid: field(4), pgrp: field(5), cpuTicks };
}

/** The process's stat, or undefined when it is gone (or there is no /proc). */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether this system has a readable /proc (Linux). */
export async function hasProcFs(): Promise<boolean> {
  return (await readProcStat(process.pid)) !== undefined;
}

/** Reads at a time while scanning /proc: thousands at once would run out of file descriptors (EMFILE), and a stat
 * that failed to read must not pass for a process that is gone. */
const SCAN_BATCH = 64;

/** Every live process of process group `pgid` (zombies left out: they run nothing). */
export async function processGroupMembers(pgid: number): Promise<ProcStat[]> {
  let names: string[];
  try {
    names = (await readdir('/proc')).filter((n) => /^[0-9]+$/.test(n));
  } catch {
    return [];
  }
  const members: ProcStat[] = [];
  for (let i = 0; i < names.length; i += SCAN_BATCH) {
    const stats = await Promise.all(names.slice(i, i + SCAN_BATCH).map((n) => readProcStat(Number(n))));
    for (const s of stats)
      if (s !== undefined && s.pgrp === pgid && s.state !== 'Z' && s.state !== 'X') members.push(s);
  }
  return members;
}
