import { AicError } from '@aic/core';
import type { RuntimeBackend } from '@aic/model-vessel';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from '../hardware/backend.ts';
import type { HardwareChallenge } from './challenge.ts';
import { challengeMatrix, hashProduct, type MatrixSide, productToBytes, roundOperands } from './matrices.ts';

/**
 * The provider's side of a hardware-class challenge: compute every round's product with TensorFlow.js on the
 * provider's backend and hash it. Operand matrices are generated and uploaded once per pool entry (lazily, so an
 * aborted over-claim does not build them all). Work yields to the event loop and checks the signal between rounds;
 * a single round cannot be interrupted, which bounds the overshoot to one round.
 */
export interface SolveOptions {
  backend?: RuntimeBackend;
  signal?: AbortSignal;
}

/** Resolves to the SHA-256 of each round's product bytes; rejects HARDWARE_CHALLENGE_ABORTED when `signal` fires. */
export async function solveChallenge(challenge: HardwareChallenge, options: SolveOptions = {}): Promise<Uint8Array[]> {
  await activateBackend(options.backend ?? 'cpu');
  const operands = createOperandCache(challenge);
  try {
    const hashes: Uint8Array[] = [];
    for (let round = 0; round < challenge.rounds; round++) {
      throwIfAborted(options.signal, round);
      hashes.push(hashProduct(await productBytesOf(operands, challenge, round)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return hashes;
  } finally {
    operands.dispose();
  }
}

/** The product bytes of round `round` (little-endian int32, n²·4 bytes): what the challenger spot-checks. */
export async function revealRound(
  challenge: HardwareChallenge,
  round: number,
  options: Pick<SolveOptions, 'backend'> = {},
): Promise<Uint8Array> {
  if (!Number.isInteger(round) || round < 0 || round >= challenge.rounds) {
    throw new AicError('HARDWARE_CHALLENGE_INVALID', 'round out of range', {
      details: { round, rounds: challenge.rounds },
    });
  }
  await activateBackend(options.backend ?? 'cpu');
  const operands = createOperandCache(challenge);
  try {
    return await productBytesOf(operands, challenge, round);
  } finally {
    operands.dispose();
  }
}

interface OperandCache {
  get(side: MatrixSide, index: number): tf.Tensor2D;
  dispose(): void;
}

function createOperandCache(challenge: HardwareChallenge): OperandCache {
  const tensors = new Map<string, tf.Tensor2D>();
  const { seed, n } = challenge;
  return {
    get(side, index) {
      const key = `${side}${index}`;
      let tensor = tensors.get(key);
      if (!tensor) {
        tensor = tf.tensor2d(challengeMatrix(seed, side, index, n), [n, n], 'float32');
        tensors.set(key, tensor);
      }
      return tensor;
    },
    dispose() {
      for (const tensor of tensors.values()) tensor.dispose();
      tensors.clear();
    },
  };
}

async function productBytesOf(
  operands: OperandCache,
  challenge: HardwareChallenge,
  round: number,
): Promise<Uint8Array> {
  const { left, right } = roundOperands(challenge.rounds, round);
  // Operands are fetched outside tidy: tidy would dispose the cached tensors created inside it.
  const a = operands.get('left', left);
  const b = operands.get('right', right);
  // Exact integers in FP32 (see matrices.ts); the cast to int32 on the device makes the bytes canonical.
  const product = tf.tidy(() => tf.cast(tf.matMul(a, b), 'int32'));
  try {
    return productToBytes((await product.data()) as Int32Array);
  } finally {
    product.dispose();
  }
}

function throwIfAborted(signal: AbortSignal | undefined, round: number): void {
  if (signal?.aborted) {
    throw new AicError('HARDWARE_CHALLENGE_ABORTED', 'challenge work aborted (deadline passed or stopped)', {
      details: { round },
    });
  }
}
