/**
 * PoV validators in the test's own process (the real stack over libp2p on 127.0.0.1): the genesis the in-process
 * integration tests share and the network + validator node start-up each of them repeats.
 */
import { type AicNetwork, createAicNetwork } from '@aic/network';
import type { Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { type PovGenesis, parsePovGenesis } from '../../src/node/genesis-file.ts';
import { type PovValidatorNode, type PovValidatorNodeInit, startPovValidatorNode } from '../../src/node/run.ts';

/** Logs nothing: the tests assert on events, not on log lines. */
export const quietLog = { info() {}, debug() {}, warn() {} };

/** A genesis starting now whose validators are `keys`, each funded with 1000 ETH. */
export function povTestGenesis(keys: readonly Hex[]): PovGenesis {
  return parsePovGenesis({
    chainId: 31_338,
    timestampSec: Math.floor(Date.now() / 1000),
    gasLimit: '200000000',
    baseFeePerGasWei: '1000000000',
    alloc: keys.map((k) => ({ address: privateKeyToAddress(k), balanceWei: '1000000000000000000000' })),
    validators: keys.map((k) => privateKeyToAddress(k)),
  });
}

/** Starts a libp2p network for `privateKey` (dialing `bootstrap`), then a validator node on it (RPC on any port). */
export async function startInProcessValidator(
  init: Omit<PovValidatorNodeInit, 'network' | 'rpcPort' | 'log'> & { bootstrap: string[] },
): Promise<{ net: AicNetwork; node: PovValidatorNode }> {
  const { bootstrap, ...nodeInit } = init;
  const net = await createAicNetwork({ privateKey: init.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap });
  await net.start();
  const node = await startPovValidatorNode({ ...nodeInit, network: net, rpcPort: 0, log: quietLog });
  return { net, node };
}
