#!/usr/bin/env node
// A stand-in for an owner's mining program (the switching agent's tests and `npm run bench -- switch`): it burns CPU
// hashing (SHA-256 over a counter) and prints `hashes <total> at <epoch ms>` every report interval, the way the
// switching agent reads a miner's earnings. Plain JavaScript, so `node <this file>` runs it with no loader, like any
// program an owner would configure. Arguments, all optional, as key=value:
//   report=<ms>   report interval (default 100)
//   duty=<0..1>   share of each 20 ms slice spent hashing (default 1; tests use less on a shared machine)
//   helpers=<n>   child processes that hash too (they test that the whole process group is suspended)
//   crash=<ms>    exit with code 3 after this long (a crashing miner)
//   state=<file>  also write `{"pid","hashes","at"}` there at every report (a test reads the miner's own counter)
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const options = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.split('='))
    .filter((kv) => kv.length === 2),
);
const reportMs = Number(options.report ?? 100);
const duty = Math.min(1, Math.max(0.01, Number(options.duty ?? 1)));
const helpers = Number(options.helpers ?? 0);
const crashMs = options.crash === undefined ? undefined : Number(options.crash);
const stateFile = options.state;
const isHelper = process.env.STAND_IN_MINER_HELPER === '1';
const SLICE_MS = 20;

let total = 0;
let block = Buffer.alloc(32);

function hashFor(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) block = createHash('sha256').update(block).digest();
    total += 200;
  }
}

function say(line) {
  process.stdout.write(`${line}\n`);
}
// A closed stdout (the agent's node is gone) ends the miner instead of leaving it running unobserved.
process.stdout.on('error', () => process.exit(0));

if (!isHelper) {
  for (let i = 0; i < helpers; i++) {
    const child = fork(new URL(import.meta.url).pathname, [`duty=${duty}`], {
      env: { ...process.env, STAND_IN_MINER_HELPER: '1' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('exit', () => undefined);
  }
  say(`miner started pid ${process.pid} pgid-leader ${process.pid}`);
} else {
  // A helper ends with its parent (the IPC channel closes).
  process.on('disconnect', () => process.exit(0));
}

process.on('SIGTERM', () => {
  if (!isHelper) say(`stopping at ${total} hashes`);
  process.exit(0);
});
if (crashMs !== undefined && !isHelper) setTimeout(() => process.exit(3), crashMs);

let lastReport = performance.now();
function slice() {
  hashFor(SLICE_MS * duty);
  const now = performance.now();
  if (!isHelper && now - lastReport >= reportMs) {
    lastReport = now;
    const at = Date.now();
    say(`hashes ${total} at ${at}`);
    if (stateFile) writeFileSync(stateFile, JSON.stringify({ pid: process.pid, hashes: total, at }));
  }
  setTimeout(slice, duty >= 1 ? 0 : SLICE_MS * (1 - duty));
}
slice();
