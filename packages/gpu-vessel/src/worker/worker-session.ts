import { AicError } from '@aic/core';
import { commitmentRoot } from '@aic/model-vessel';
import { type ChildMessage, childMessageSchema, type DoneMessage, type ReadyMessage } from './protocol.ts';
import type { TrainingWorkerHandlers, TrainingWorkerResult, WorkerCheckpoint } from './run-training-worker.ts';

const protocolError = (reason: string, details: Record<string, unknown> = {}) =>
  new AicError('WORKER_PROTOCOL_ERROR', `training worker: ${reason}`, { details });

/** Follows one worker's messages and checks that they form a consistent run. */
export class WorkerSession {
  ready: ReadyMessage | undefined;
  private readonly announced = new Map<number, WorkerCheckpoint>();
  private nextIndex = 0;

  constructor(private readonly handlers: TrainingWorkerHandlers) {}

  /** Handles one message; returns the result when the run is done. Throws on anything inconsistent. */
  accept(raw: unknown): TrainingWorkerResult | undefined {
    const parsed = childMessageSchema.safeParse(raw);
    if (!parsed.success) throw protocolError('malformed message', { issues: parsed.error.issues.slice(0, 5) });
    const message: ChildMessage = parsed.data;
    if (message.type === 'error') {
      throw new AicError(message.code, message.message, { details: message.details ?? {} });
    }
    if (message.type === 'ready') return void this.onReady(message);
    if (!this.ready) throw protocolError(`${message.type} before ready`);
    if (message.type === 'progress') {
      const { type: _type, ...progress } = message;
      this.handlers.onProgress?.(progress);
      return undefined;
    }
    if (message.type === 'checkpoint') return void this.onCheckpoint(message);
    return this.onDone(message, this.ready);
  }

  private onReady(message: ReadyMessage): void {
    if (this.ready) throw protocolError('second ready');
    this.ready = message;
    this.nextIndex = message.resumedFrom ? message.resumedFrom.index + 1 : 0;
    const { type: _type, ...ready } = message;
    this.handlers.onReady?.(ready);
  }

  private onCheckpoint(message: ChildMessage & { type: 'checkpoint' }): void {
    if (message.index !== this.nextIndex) {
      throw protocolError('checkpoint out of order', { expected: this.nextIndex, got: message.index });
    }
    this.nextIndex++;
    const checkpoint = { index: message.index, step: message.step, hash: message.hash };
    this.announced.set(message.index, checkpoint);
    this.handlers.onCheckpoint?.(checkpoint);
  }

  private onDone(message: DoneMessage, ready: ReadyMessage): TrainingWorkerResult {
    const { commitments } = message;
    if (commitments.length !== this.nextIndex) {
      throw protocolError('result does not end at the last announced checkpoint', {
        commitments: commitments.length,
        announced: this.nextIndex,
      });
    }
    for (const [index, c] of this.announced) {
      const listed = commitments[index];
      if (listed?.hash !== c.hash || listed.step !== c.step) throw protocolError('result contradicts a checkpoint');
    }
    if (commitmentRoot(commitments) !== message.commitmentRoot) throw protocolError('commitment root is not theirs');
    const { type: _type, ...done } = message;
    return { ...done, resumedFrom: ready.resumedFrom, heapLimitBytes: ready.heapLimitBytes };
  }
}
