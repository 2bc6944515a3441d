import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/**
 * Whether this machine has a WebGPU adapter (Dawn for Node, the optional npm `webgpu` package, over a Vulkan driver),
 * and what it is. The probe runs in a short child process: Dawn's native module then never loads into a node that
 * has no use for it, and a driver that hangs or crashes costs the probe, not the node. Without the package, or without
 * a Vulkan driver Dawn accepts (e.g. Debian 12's Mesa 22.3 lavapipe is refused), the answer is null.
 */
export const webgpuAdapterSchema = z.strictObject({
  vendor: z.string().max(128),
  architecture: z.string().max(128),
  device: z.string().max(256),
  description: z.string().max(256),
  /** A software adapter (SwiftShader, lavapipe): the webgpu code path on a CPU, not a GPU. */
  fallback: z.boolean(),
});
export type WebgpuAdapter = z.output<typeof webgpuAdapterSchema>;

/** Parses the probe's one output line; anything else is "no adapter". */
export function parseWebgpuProbe(stdout: string): WebgpuAdapter | null {
  const line = stdout.trim().split(/\r?\n/).at(-1) ?? '';
  try {
    const parsed = webgpuAdapterSchema.nullable().safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// The child: load Dawn from the file URL given as argv[1], ask for an adapter, print one JSON line, exit.
const PROBE_SCRIPT = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter();
const i = adapter?.info;
process.stdout.write(JSON.stringify(i ? { vendor: i.vendor ?? '', architecture: i.architecture ?? '',
  device: i.device ?? '', description: i.description ?? '', fallback: Boolean(i.isFallbackAdapter) } : null) + '\\n');
process.exit(0);
`;

/** The `webgpu` package's entry as a file URL, or undefined when the optional dependency is not installed. */
export function dawnEntryUrl(): string | undefined {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return undefined;
  }
}

/**
 * Asks a child process for this machine's WebGPU adapter. Resolves to null when there is none (no package, no
 * driver, a failing or slow probe); never rejects. The child inherits the environment (VK_ICD_FILENAMES,
 * LD_LIBRARY_PATH), which is how a GPU machine points Dawn at its Vulkan loader and driver (scripts/gpu-check.sh).
 * @example const adapter = await probeWebgpuAdapter(); // { vendor: 'nvidia', architecture: 'hopper', … } or null
 */
export async function probeWebgpuAdapter(options: { timeoutMs?: number } = {}): Promise<WebgpuAdapter | null> {
  const entry = dawnEntryUrl();
  if (entry === undefined) return null;
  return await new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE_SCRIPT, entry],
      { timeout: options.timeoutMs ?? 15_000, maxBuffer: 64 * 1024, windowsHide: true },
      (error, stdout) => resolve(error ? null : parseWebgpuProbe(stdout)),
    );
  });
}
