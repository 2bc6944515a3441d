/**
 * The EvidenceSink that slashes on chain: equivocation and invalid-block evidence become ValidatorStakes
 * `slashEquivocation` / `slashInvalidBlock` transactions on this chain, signed with the validator's own key and
 * entered through the node's own pool (so they are gossiped like any RPC transaction).
 *
 * - Nonce-safe: submissions run one at a time and take the pool's pending nonce (which counts this account's other
 *   pending transactions); a nonce race with the node's JSON-RPC is retried with a fresh nonce.
 * - Once per offence: an offence is sent at most once by this node; before sending, the call is simulated on the
 *   head state, so evidence another reporter already landed (ValidatorEvidenceUsed) or that the contract would refuse
 *   is not sent. Two reporters racing in one block is the contract's to settle (the second reverts).
 * - Invalid-block evidence carries only rejections of distinct active validators other than the proposer, and is
 *   sent once they reach the contract's `rejectQuorum()`.
 */
import { isAicError } from '@aic/core';
import { validatorStakesAbi } from '@aic/ledger';
import { type Address, bytesToHex, encodeFunctionData, getAddress, type Hex, hexToBytes } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { attestationDigest, recoverSigner } from '../consensus/digests.ts';
import { encodeEquivocationEvidence, encodeInvalidBlockEvidence } from '../consensus/evidence.ts';
import type { ChainExecutor } from '../exec/executor.ts';
import { type CallRequest, callAt } from '../exec/state-reader.ts';
import { callContractAt, callRequestOf } from './contract-call.ts';
import type { EvidenceSink } from './ports.ts';
import type { PovValidatorLogger } from './validator.ts';
import type { PovAttestationWire } from './wire.ts';

export interface SlasherInit {
  executor: ChainExecutor;
  privateKey: Hex;
  chainId: bigint;
  /** ValidatorStakes on this chain (the genesis file's `contracts.validatorStakes`). */
  validatorStakes: Hex;
  log: PovValidatorLogger;
  /** Each transaction sent (tests and logs). */
  onSubmitted?: (e: { kind: 'equivocation' | 'invalid-block'; proposer: Address; txHash: Hex }) => void;
}

const TIP_WEI = 1_000_000_000n;
const NONCE_RETRIES = 3;

export function createOnChainSlasher(init: SlasherInit): EvidenceSink {
  const { executor, log } = init;
  const account = privateKeyToAccount(init.privateKey);
  const stakes = getAddress(init.validatorStakes);
  const sent = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  // The head state, as this node's account: what the transaction would meet if sent now.
  const callAtHead = (request: CallRequest) =>
    callAt(executor.store.trieDb, executor.common, executor.headDecoded().header, request, noBlockHashes);
  const simulate = (data: Hex) => callAtHead(callRequestOf(stakes, data, { from: account.address }));
  const view = (functionName: 'rejectQuorum' | 'activeValidators') =>
    callContractAt(callAtHead, { abi: validatorStakesAbi, to: stakes, functionName, from: account.address });

  const readQuorum = async () => ((await view('rejectQuorum')) as bigint | undefined) ?? 0n;
  const readActive = async () => ((await view('activeValidators')) as readonly Address[] | undefined) ?? [];

  async function send(kind: 'equivocation' | 'invalid-block', proposer: Address, data: Hex): Promise<void> {
    const simulated = await simulate(data);
    if (!simulated.success) {
      log.info({ kind, proposer, error: simulated.error }, 'pov evidence not sent: the contract would refuse it');
      return;
    }
    for (let attempt = 0; ; attempt++) {
      const baseFee = executor.headDecoded().header.baseFeePerGas ?? 0n;
      const raw = await account.signTransaction({
        type: 'eip1559',
        chainId: Number(init.chainId),
        nonce: Number(await executor.admission.pendingNonce(account.address)),
        to: stakes,
        data,
        value: 0n,
        // Room above the simulation: the head moves before the block that includes it.
        gas: simulated.gasUsed * 2n + 50_000n,
        maxFeePerGas: baseFee * 2n + TIP_WEI,
        maxPriorityFeePerGas: TIP_WEI,
      });
      try {
        const txHash = await executor.addRawTransaction(hexToBytes(raw));
        log.info({ kind, proposer, txHash }, 'pov slashing evidence submitted');
        init.onSubmitted?.({ kind, proposer, txHash });
        return;
      } catch (error) {
        const code = isAicError(error) ? error.code : 'UNKNOWN';
        const nonceRace = code === 'CHAIN_TX_NONCE' || code === 'CHAIN_TX_UNDERPRICED';
        if (!nonceRace || attempt >= NONCE_RETRIES) throw error;
      }
    }
  }

  function enqueue(key: string, work: () => Promise<void>): void {
    if (sent.has(key)) return;
    sent.add(key);
    const run = queue.then(work).catch((err: unknown) => log.warn({ err, key }, 'pov slashing evidence failed'));
    queue = run;
  }

  async function activeRejections(proposer: Address, slot: bigint, blockHash: Uint8Array, all: PovAttestationWire[]) {
    const active = new Set((await readActive()).map((a) => getAddress(a)));
    const bySigner = new Map<Address, PovAttestationWire>();
    const digest = attestationDigest(init.chainId, slot, blockHash, false);
    for (const att of all) {
      if (att.valid || BigInt(att.slot) !== slot) continue;
      let signer: Address;
      try {
        signer = recoverSigner(digest, att.signature).address;
      } catch {
        continue; // a forged rejection would make the whole slash revert
      }
      if (signer !== proposer && active.has(signer) && !bySigner.has(signer)) bySigner.set(signer, att);
    }
    return [...bySigner.entries()].map(([validator, att]) => ({ validator, signature: att.signature }));
  }

  return {
    equivocation(e) {
      const proposer = getAddress(e.proposer);
      const data = encodeFunctionData({
        abi: validatorStakesAbi,
        functionName: 'slashEquivocation',
        args: [
          encodeEquivocationEvidence({
            proposer,
            slot: e.slot,
            blockHashA: e.a[0],
            signatureA: e.a[1],
            blockHashB: e.b[0],
            signatureB: e.b[1],
          }),
        ],
      });
      enqueue(`equivocation:${proposer}:${e.slot}`, () => send('equivocation', proposer, data));
    },
    async invalidBlock(e) {
      const key = `invalid-block:${bytesToHex(e.blockHash)}`;
      if (sent.has(key) || e.blockHash.length !== 32) return sent.has(key);
      const proposer = getAddress(e.proposer);
      const rejections = await activeRejections(proposer, e.slot, e.blockHash, e.rejections);
      const quorum = await readQuorum();
      if (quorum === 0n || BigInt(rejections.length) < quorum) return false;
      const chosen = rejections.slice(0, Number(quorum));
      const data = encodeFunctionData({
        abi: validatorStakesAbi,
        functionName: 'slashInvalidBlock',
        args: [
          encodeInvalidBlockEvidence({
            proposer,
            slot: e.slot,
            blockHash: e.blockHash,
            header: new Uint8Array(),
            proposerSignature: e.proposalSig,
            reason: 'rejected by its committee',
            rejections: chosen.map((r) => ({
              validator: r.validator,
              slot: e.slot,
              blockHash: e.blockHash,
              valid: false,
              signature: r.signature,
            })),
          }),
        ],
      });
      enqueue(key, () => send('invalid-block', proposer, data));
      return true;
    },
  };
}

const noBlockHashes = {
  async getBlock() {
    return { hash: () => new Uint8Array(32) };
  },
  async putBlock() {},
  shallowCopy() {
    return this;
  },
};
