/**
 * One PoV validator node's chain side, composed: the executor over a level store in `dataDir` (a restart resumes
 * from it), the Ethereum JSON-RPC on 127.0.0.1, and the PovValidator on the node's AIC network. The AIC node
 * (`--pov-validator`) and tests start it with `startPovValidatorNode`; `stop()` ends all three in reverse order.
 */
import { mkdir } from 'node:fs/promises';
import { PRESETS } from '@aic/core/params';
import type { AicNetwork } from '@aic/network';
import { type Hex, hexToBytes } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { consensusParams } from '../consensus/params.ts';
import { ChainExecutor } from '../exec/executor.ts';
import { type ChainRpc, startChainRpc } from '../rpc/server.ts';
import { ChainStore } from '../store/chain-store.ts';
import { openLevelKv } from '../store/kv.ts';
import { createPovConsensus } from './consensus-adapter.ts';
import { validatorChainOf } from './exec-adapter.ts';
import { isTicketFault, type PovFault, povFaultFromEnv } from './faults.ts';
import type { PovGenesis } from './genesis-file.ts';
import type { EvidenceSink } from './ports.ts';
import { createOnChainSlasher } from './slasher.ts';
import { PovValidator, type PovValidatorLogger } from './validator.ts';
import { createValidatorSetReader } from './validator-set.ts';
import { createWorkReader } from './work-reader.ts';

export interface PovValidatorNodeInit {
  /** The node's secp256k1 key (the same as its network identity): VRF tickets, seals, attestations, coinbase. */
  privateKey: Hex;
  network: AicNetwork;
  genesis: PovGenesis;
  dataDir: string;
  /** JSON-RPC port on 127.0.0.1 (0 = any free port). */
  rpcPort: number;
  log: PovValidatorLogger;
  /** Test-only proposer misbehaviour; default from AIC_FAULT_POV_PROPOSER. */
  fault?: PovFault;
  /** Where slashing evidence goes (default: ValidatorStakes on this chain when the genesis names it, else logged). */
  evidence?: EvidenceSink;
  /** The consensus preset (slots, epochs, committee); default: the devnet's. */
  pov?: (typeof PRESETS)['devnet']['pov'];
}

export interface PovValidatorNode {
  validator: PovValidator;
  executor: ChainExecutor;
  rpc: ChainRpc;
  stop(): Promise<void>;
}

export async function startPovValidatorNode(init: PovValidatorNodeInit): Promise<PovValidatorNode> {
  await mkdir(init.dataDir, { recursive: true });
  const store = new ChainStore(await openLevelKv(init.dataDir));
  const executor = await ChainExecutor.open({ genesis: init.genesis.spec, store });
  const coinbase = privateKeyToAddress(init.privateKey);
  const chain = await validatorChainOf(executor, coinbase);
  const genesisHeader = await executor.headerByNumber(0n);
  if (genesisHeader === undefined) throw new Error('unreachable: an opened chain has its genesis');
  const fault = init.fault ?? povFaultFromEnv();
  const chainId = BigInt(init.genesis.spec.chainId);
  const pov = init.pov ?? PRESETS.devnet.pov;
  const market = init.genesis.computeMarket;
  const stakes = init.genesis.validatorStakes;
  const consensus = createPovConsensus({
    secretKey: hexToBytes(init.privateKey),
    chainId,
    pov,
    genesis: genesisHeader.info,
    validators: init.genesis.validators.map((address) => ({ address, genesis: true })),
    // With a ValidatorStakes on the chain, each epoch's set is read from it (validators join by staking).
    ...(stakes === undefined
      ? {}
      : {
          validatorSet: createValidatorSetReader({
            executor,
            validatorStakes: stakes,
            genesisValidators: init.genesis.validators,
          }),
        }),
    chain,
    ...(market === undefined
      ? {}
      : {
          work: createWorkReader({
            executor,
            computeMarket: market.address,
            flopsPerCheckpoint: market.flopsPerCheckpoint,
            params: consensusParams(pov, chainId),
            genesisTimestampSec: genesisHeader.info.timestampSec,
          }),
        }),
    ...(isTicketFault(fault) ? { ticketFault: fault } : {}),
  });
  const evidence =
    init.evidence ??
    (stakes === undefined
      ? undefined
      : createOnChainSlasher({
          executor,
          privateKey: init.privateKey,
          chainId,
          validatorStakes: stakes,
          log: init.log,
        }));
  const validator = new PovValidator({
    network: init.network,
    chain,
    consensus,
    log: init.log,
    ...(fault === undefined ? {} : { fault }),
    ...(evidence === undefined ? {} : { evidence }),
  });
  const rpc = await startChainRpc({ executor }, { port: init.rpcPort });
  await validator.start();
  return {
    validator,
    executor,
    rpc,
    async stop() {
      await validator.stop();
      await rpc.stop();
      await executor.close();
    },
  };
}
