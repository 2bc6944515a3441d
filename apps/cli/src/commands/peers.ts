import type { PeerInfo } from '@aic/node/api';
import type { Command } from 'commander';
import { action, type CommandContext } from '../context.ts';
import type { CliIo } from '../io.ts';
import { printResult, table } from '../output.ts';

/** `aic peers`. */
export function registerPeerCommands(program: Command, io: CliIo): void {
  program
    .command('peers')
    .description('list known peers with estimated round-trip time and score')
    .action(action(io, listPeers));
}

async function listPeers(ctx: CommandContext): Promise<void> {
  const result = await ctx.api().peers();
  printResult(ctx.io, ctx.global.json, result, ({ peers }) =>
    peers.length === 0 ? 'no peers yet' : table(['PEER ID', 'CONNECTED', 'RTT', 'SCORE'], peers.map(peerRow)),
  );
}

function peerRow(p: PeerInfo): string[] {
  return [
    p.peerId,
    p.connected ? 'yes' : 'no',
    p.rttMs === null ? '?' : `${p.rttMs.toFixed(1)} ms`,
    p.score.toFixed(2),
  ];
}
