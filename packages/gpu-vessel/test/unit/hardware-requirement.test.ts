import { choosePlacement, createOfferBook, type Offer } from '@aic/allocator';
import { describe, expect, it } from 'vitest';
import { canonicalGpuModel } from '../../src/hardware/offer-hardware.ts';
import { hardwareRequirementSchema, offerHardwareToMachine } from '../../src/jobs/hardware-requirement.ts';
import { decodeJobTicket, encodeJobTicket, ticketHash } from '../../src/jobs/job-ticket.ts';
import { irisSpec } from '../helpers/iris-job.ts';

const GIB = 2 ** 30;
const spec = irisSpec({ seed: 1, commitEverySteps: 5, epochs: 1 });
const assets = { dataset: { assetId: '7' }, model: { assetId: '8', manifest: JSON.stringify(spec.manifest) } };

function offerFrom(id: string, gpus: Array<{ model: string; memoryBytes: number }>): Offer {
  return {
    id,
    provider: `0x${id}`,
    hwClass: 3,
    memoryGiB: 64,
    tflops: 0.01,
    pricePerHour: 1,
    stake: 100,
    reputation: 0.5,
    coordinate: { vec: [0, 0, 0], height: 0 },
    bandwidthMBps: 100,
    cachedDatasets: [],
    slots: 4,
    machine: offerHardwareToMachine({ gpus, cpuCores: 16, memoryBytes: 64 * GIB, backends: ['cpu', 'wasm'] }),
  };
}

describe('hardware requirement in the ticket', () => {
  it('writes no hardware field for a ticket without a requirement, and round-trips one with it', () => {
    const plain = encodeJobTicket({ spec, ...assets, nonce: 'n' });
    expect(Object.keys(JSON.parse(new TextDecoder().decode(plain)))).toEqual([
      'format',
      'spec',
      'dataset',
      'model',
      'nonce',
    ]);
    expect(decodeJobTicket(plain, ticketHash(plain)).hardware).toBeUndefined();
    const hardware = { gpus: 2, gpuModels: ['H100-80G', 'A100-80G'], minGpuMemoryGiB: 40, cpuCores: 8, memoryGiB: 32 };
    const bytes = encodeJobTicket({ spec, ...assets, nonce: 'n', hardware });
    expect(decodeJobTicket(bytes, ticketHash(bytes)).hardware).toEqual(hardware);
  });

  it('refuses impossible amounts with a typed ticket error', () => {
    expect(hardwareRequirementSchema.safeParse({ gpus: 1.5 }).success).toBe(false);
    expect(hardwareRequirementSchema.safeParse({ gpus: 65 }).success).toBe(false);
    expect(hardwareRequirementSchema.safeParse({ cpuCores: -1 }).success).toBe(false);
    const bad = new TextEncoder().encode(
      JSON.stringify({
        format: 'aic-job-ticket/2',
        spec: { ...spec, manifest: undefined },
        ...assets,
        nonce: 'n',
        hardware: { gpus: 3.5 },
      }),
    );
    expect(() => decodeJobTicket(bad, ticketHash(bad))).toThrow(
      expect.objectContaining({ code: 'JOB_TICKET_INVALID' }),
    );
  });

  it("places a model-constrained multi-GPU job on the one offer whose machine has those GPUs (offers' wire hardware)", () => {
    const offers = [
      offerFrom('a', [{ model: 'T4-16G', memoryBytes: 16 * GIB }]),
      offerFrom(
        'b',
        Array.from({ length: 2 }, () => ({ model: 'A100-80G', memoryBytes: 80 * GIB })),
      ),
      offerFrom('c', [{ model: 'A100-80G', memoryBytes: 80 * GIB }]),
      offerFrom('d', []),
    ];
    const job = {
      id: 'job-1',
      minHwClass: 0,
      minMemoryGiB: 0,
      workTflop: 1,
      maxPricePerHour: Number.MAX_SAFE_INTEGER,
      minStake: 0,
      datasetMB: 0,
      dataSources: [],
    };
    for (let seed = 1n; seed < 20n; seed++) {
      const book = createOfferBook(offers);
      expect(choosePlacement(book, { ...job, hardware: { gpus: 2, gpuModels: ['A100-80G'] } }, seed)?.offerId).toBe(
        'b',
      );
      expect(choosePlacement(book, { ...job, hardware: { gpus: 0.5, minGpuMemoryGiB: 40 } }, seed)?.offerId).toMatch(
        /^[bc]$/,
      );
      expect(choosePlacement(book, { ...job, hardware: { cpuCores: 32 } }, seed)).toBeUndefined();
    }
    // A job without a requirement goes anywhere, as before.
    expect(choosePlacement(createOfferBook(offers), job, 3n)).toBeDefined();
  });
});

describe('GPU model names in offers', () => {
  it('names a GPU the way requesters ask for it: family and marketed memory', () => {
    const MIB = 2 ** 20;
    expect(canonicalGpuModel('NVIDIA H100 80GB HBM3', 81_559 * MIB)).toBe('H100-80G');
    expect(canonicalGpuModel('Tesla T4', 15_360 * MIB)).toBe('T4-16G');
    expect(canonicalGpuModel('NVIDIA A100-SXM4-40GB', 40_960 * MIB)).toBe('A100-40G');
    expect(canonicalGpuModel('NVIDIA A10', 23_028 * MIB)).toBe('A10-24G');
    expect(canonicalGpuModel('NVIDIA GeForce RTX 4090', 24_564 * MIB)).toBe('RTX4090-24G');
    expect(canonicalGpuModel('NVIDIA H200', 143_771 * MIB)).toBe('H200-141G');
    expect(canonicalGpuModel('H100-80G', 80 * GIB)).toBe('H100-80G');
  });

  it("matches a raw nvidia-smi name in an offer against a job's family name", () => {
    const machine = offerHardwareToMachine({
      gpus: [{ model: 'NVIDIA H100 80GB HBM3', memoryBytes: 81_559 * 2 ** 20 }],
      cpuCores: 16,
      memoryBytes: 64 * GIB,
      backends: ['cpu'],
    });
    expect(machine.gpus[0]?.model).toBe('H100-80G');
    const book = createOfferBook([{ ...offerFrom('h', []), machine }]);
    const job = {
      id: 'j',
      minHwClass: 0,
      minMemoryGiB: 0,
      workTflop: 1,
      maxPricePerHour: Number.MAX_SAFE_INTEGER,
      minStake: 0,
      datasetMB: 0,
      dataSources: [],
    };
    expect(choosePlacement(book, { ...job, hardware: { gpus: 1, gpuModels: ['H100'] } }, 1n)?.offerId).toBe('h');
    expect(choosePlacement(book, { ...job, hardware: { gpus: 1, gpuModels: ['A100'] } }, 1n)).toBeUndefined();
  });
});
