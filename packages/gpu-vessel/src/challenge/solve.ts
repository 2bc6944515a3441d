import { AicError } from '@aic/core';
import type { RuntimeBackend } from '@aic/model-vessel';
import * as tf from '@tensorflow/tfjs-core';
import { activateBackend } from '../hardware/backend.ts';
import type { HardwareChallenge } from './challenge.ts';
import { challengeMatrix, hashProduct, type MatrixSide, productToBytes, roundOperands } from './matrices.ts';
import { solveOnDevice } from './solve-webgpu.ts';

/**
 * The provider's side of a hardware-class challenge: compute every round's product with TensorFlow.js on the
 * provider's backend and hash it. Operand matrices are generated and uploaded once per pool entry (lazily, so an
 * aborted over-claim does not build them all). Work yields to the event loop and checks the signal between steps;
 * a step is a block of rows of one product, so a slow device (tfjs cpu: one 1024² product takes seconds and blocks
 * the thread) stops soon after its deadline instead of finishing a hopeless round.
 *
 * On cpu and wasm operands are generated and products hashed on the main thread (~6 ms and ~2.5 ms per 1024² matrix
 * on this build box), negligible next to those backends' O(n³). On webgpu that host work would cap what a GPU could
 * prove at well under 1 TFLOPS, so there the round runs on the device (solve-webgpu.ts); the reveal of one round
 * still goes through the host (once per challenge).
 */
export interface SolveOptions {
  backend?: RuntimeBackend;
  signal?: AbortSignal;
  /** Rows of a product computed per step. Default: whole products on GPUs (fewer dispatches), ≤ 64 MFLOP on cpu/wasm. */
  rowsPerStep?: number;
}

const CPU_FLOPS_PER_STEP = 64e6;

/** Resolves to the SHA-256 of each round's product bytes; rejects HARDWARE_CHALLENGE_ABORTED when `signal` fires. */
export async function solveChallenge(challenge: HardwareChallenge, options: SolveOptions = {}): Promise<Uint8Array[]> {
  await activateBackend(options.backend ?? 'cpu');
  // On a GPU the whole round stays on the device: operands generated, products multiplied and rows hashed there.
  if (options.backend === 'webgpu')
    return await solveOnDevice(challenge, (round) => throwIfAborted(options.signal, round));
  const operands = createOperandCache(challenge);
  try {
    const hashes: Uint8Array[] = [];
    for (let round = 0; round < challenge.rounds; round++) {
      throwIfAborted(options.signal, round);
      hashes.push(
        hashProduct(await productBytesOf(operands, challenge, round, stepOptions(challenge, options)), challenge.n),
      );
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
  options: Omit<SolveOptions, 'signal'> = {},
): Promise<Uint8Array> {
  if (!Number.isInteger(round) || round < 0 || round >= challenge.rounds) {
    throw new AicError('HARDWARE_CHALLENGE_INVALID', 'round out of range', {
      details: { round, rounds: challenge.rounds },
    });
  }
  await activateBackend(options.backend ?? 'cpu');
  const operands = createOperandCache(challenge);
  try {
    return await productBytesOf(operands, challenge, round, stepOptions(challenge, options));
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

function stepOptions(challenge: HardwareChallenge, options: SolveOptions): StepOptions {
  const { n } = challenge;
  const cpuRows = Math.max(1, Math.floor(CPU_FLOPS_PER_STEP / (2 * n * n)));
  const rows = options.rowsPerStep ?? (options.backend === 'webgpu' ? n : cpuRows);
  return { rowsPerStep: Math.min(n, Math.max(1, Math.floor(rows))), signal: options.signal };
}

interface StepOptions {
  rowsPerStep: number;
  signal: AbortSignal | undefined;
}

async function productBytesOf(
  operands: OperandCache,
  challenge: HardwareChallenge,
  round: number,
  { rowsPerStep, signal }: StepOptions,
): Promise<Uint8Array> {
  const { n } = challenge;
  const { left, right } = roundOperands(challenge.rounds, round);
  // Operands are fetched outside tidy: tidy would dispose the cached tensors created inside it.
  const a = operands.get('left', left);
  const b = operands.get('right', right);
  const out = new Int32Array(n * n);
  for (let row = 0; row < n; row += rowsPerStep) {
    const rows = Math.min(rowsPerStep, n - row);
    // Exact integers in FP32 (see matrices.ts); the cast to int32 on the device makes the bytes canonical.
    const block = tf.tidy(() => tf.cast(tf.matMul(tf.slice(a, [row, 0], [rows, n]), b), 'int32'));
    try {
      out.set((await block.data()) as Int32Array, row * n);
    } finally {
      block.dispose();
    }
    await new Promise((resolve) => setImmediate(resolve));
    throwIfAborted(signal, round);
  }
  return productToBytes(out);
}

function throwIfAborted(signal: AbortSignal | undefined, round: number): void {
  if (signal?.aborted) {
    throw new AicError('HARDWARE_CHALLENGE_ABORTED', 'challenge work aborted (deadline passed or stopped)', {
      details: { round },
    });
  }
}
