import { AicError } from '@aic/core';
import type { WebgpuAdapter } from '@aic/model-vessel';
import type { Accelerator, AcceleratorKind } from './descriptor.ts';

/**
 * Detection beyond nvidia-smi (issue 16): AMD GPUs from `rocm-smi`, Apple GPUs from `system_profiler`, and any other
 * GPU from its WebGPU adapter. The parsers are pure (fixtures in the unit tests); detect.ts runs the programs. Like
 * nvidia-smi's output, all of it is a claim: the class counts only after a challenge.
 */

/** `rocm-smi` arguments: product names and VRAM per card, as JSON keyed by card. */
export const ROCM_SMI_ARGS = ['--showproductname', '--showmeminfo', 'vram', '--json'] as const;
/** `system_profiler` arguments: the display/GPU data type as JSON. */
export const SYSTEM_PROFILER_ARGS = ['SPDisplaysDataType', '-json'] as const;

function invalid(tool: string, message: string, got: unknown): AicError {
  return new AicError('HARDWARE_PROBE_INVALID', `${tool} output: ${message}`, { details: { got } });
}

function parseJson(tool: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(tool, 'not JSON', text.slice(0, 200));
  }
}

/** One entry per distinct (model, memory), with its device count (as parseNvidiaSmiCsv does). */
function grouped(devices: readonly Omit<Accelerator, 'count'>[]): Accelerator[] {
  const byModel = new Map<string, Accelerator>();
  for (const d of devices) {
    const key = `${d.kind}\u0000${d.model}\u0000${d.memoryBytes}`;
    const seen = byModel.get(key);
    if (seen) seen.count += 1;
    else byModel.set(key, { ...d, count: 1 });
  }
  return [...byModel.values()];
}

/**
 * Parses `rocm-smi --showproductname --showmeminfo vram --json`: `{ "card0": { "Card Series": "AMD Instinct MI210",
 * "VRAM Total Memory (B)": "68702699520", … }, … }`. Cards without a name or memory (an APU's tiny carve-out still
 * counts: it is a device) are refused as a whole with HARDWARE_PROBE_INVALID, like any unusable output.
 */
export function parseRocmSmiJson(text: string): Accelerator[] {
  const value = parseJson('rocm-smi', text);
  if (value === null || typeof value !== 'object') throw invalid('rocm-smi', 'expected an object', typeof value);
  const cards = Object.entries(value as Record<string, unknown>).filter(([key]) => /^card[0-9]+$/.test(key));
  if (cards.length === 0 || cards.length > 64) throw invalid('rocm-smi', 'expected 1 to 64 cards', cards.length);
  return grouped(
    cards.map(([card, fields]) => {
      const f = (fields ?? {}) as Record<string, unknown>;
      const model = String(f['Card Series'] ?? f['Card series'] ?? '')
        .trim()
        .slice(0, 128);
      const memory = String(f['VRAM Total Memory (B)'] ?? '');
      if (model.length === 0 || !/^[0-9]{1,16}$/.test(memory) || Number(memory) === 0) {
        throw invalid('rocm-smi', `${card} lacks a name or VRAM`, { card, model, memory });
      }
      return { kind: 'amd-gpu' as const, model, memoryBytes: Number(memory) };
    }),
  );
}

/**
 * Parses `system_profiler SPDisplaysDataType -json` on a Mac. Apple GPUs share the machine's memory, so each gets
 * `unifiedMemoryBytes` (the host RAM); a discrete GPU in an Intel Mac reports its VRAM as "spdisplays_vram"
 * ("8 GB"). Returns [] when the report lists no GPU.
 */
export function parseSystemProfilerDisplays(text: string, unifiedMemoryBytes: number): Accelerator[] {
  const value = parseJson('system_profiler', text) as { SPDisplaysDataType?: unknown } | null;
  const gpus = value?.SPDisplaysDataType;
  if (!Array.isArray(gpus)) throw invalid('system_profiler', 'no SPDisplaysDataType list', typeof gpus);
  return grouped(
    gpus.flatMap((entry) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      const model = String(e.sppci_model ?? e._name ?? '')
        .trim()
        .slice(0, 128);
      if (model.length === 0) return [];
      const vendor = String(e.spdisplays_vendor ?? '').toLowerCase();
      const kind = kindOfVendor(vendor.includes('apple') || /^apple /i.test(model) ? 'apple' : vendor);
      if (kind === undefined) return [];
      const vram = /^([0-9]+)\s*(GB|MB)$/i.exec(String(e.spdisplays_vram ?? e.spdisplays_vram_shared ?? '').trim());
      const memoryBytes =
        kind === 'apple-gpu' || !vram
          ? unifiedMemoryBytes
          : Number(vram[1]) * (vram[2]?.toUpperCase() === 'GB' ? 2 ** 30 : 2 ** 20);
      return [{ kind, model, memoryBytes }];
    }),
  );
}

/** The accelerator kind of a GPU vendor name (WebGPU adapter vendor, system_profiler vendor); undefined for a vendor
 * the descriptor has no kind for (Qualcomm, ARM, Imagination…: the webgpu backend is still offered). */
export function kindOfVendor(vendor: string): AcceleratorKind | undefined {
  const v = vendor.toLowerCase().replace(/[^a-z0-9]+/g, ' '); // sppci_vendor_amd → sppci vendor amd
  if (v.includes('nvidia')) return 'nvidia-gpu';
  if (/\bamd\b|\bati\b|advanced micro devices/.test(v)) return 'amd-gpu';
  if (v.includes('apple')) return 'apple-gpu';
  if (v.includes('intel')) return 'intel-gpu';
  return undefined;
}

/**
 * The GPU a WebGPU adapter stands for, when no vendor tool listed one: its vendor's kind and its architecture or
 * description as the model. WebGPU does not report memory, so `memoryBytes` is the caller's estimate (0 = unknown:
 * the memory-bound classes stay out of reach until a vendor tool reports it). A fallback (software) adapter is no
 * GPU, nor is an adapter of a vendor without a kind: undefined.
 */
export function acceleratorOfAdapter(adapter: WebgpuAdapter, memoryBytes: number): Accelerator | undefined {
  const kind = adapter.fallback ? undefined : kindOfVendor(adapter.vendor);
  if (kind === undefined) return undefined;
  const name = [adapter.vendor, adapter.architecture].filter((s) => s.length > 0).join(' ');
  const model = (adapter.description || name || 'WebGPU adapter').slice(0, 128);
  return { kind, model, memoryBytes: kind === 'apple-gpu' ? memoryBytes : 0, count: 1 };
}
