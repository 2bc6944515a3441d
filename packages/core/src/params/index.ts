import { AicError } from '../errors/index.ts';
import { devnetPreset } from './devnet.ts';
import { mainnetPreset } from './mainnet.ts';
import { minimalPreset } from './minimal.ts';
import { type AicPreset, PRESET_NAMES, type PresetName } from './types.ts';

export type { PovPreset } from './pov.ts';
export { devnetPovChain } from './pov.ts';
export type {
  AicPreset,
  AllocatorPreset,
  ContractsPreset,
  CoordinatorPreset,
  MiningPreset,
  NodePreset,
  PovContractsPreset,
  PresetName,
  ProviderPreset,
  RaterPreset,
  StoragePreset,
  VerificationPreset,
  WorkerPreset,
} from './types.ts';
export { devnetPreset, mainnetPreset, minimalPreset, PRESET_NAMES };

/** Every preset by name. */
export const PRESETS: Readonly<Record<PresetName, AicPreset>> = {
  minimal: minimalPreset,
  devnet: devnetPreset,
  mainnet: mainnetPreset,
};

/**
 * The preset a process uses unless told otherwise: `devnet`, the only network that exists today (switch to
 * `mainnet` when one does). Code with an optional setting falls back to this preset, never to its own literal.
 */
export const DEFAULT_PRESET: AicPreset = devnetPreset;

/** Is `name` a preset name? */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/**
 * The preset called `name`; PARAMS_PRESET_UNKNOWN otherwise.
 * @example presetOf('minimal').worker.memoryMiB // 512
 */
export function presetOf(name: string): AicPreset {
  if (!isPresetName(name)) {
    throw new AicError('PARAMS_PRESET_UNKNOWN', `unknown preset ${JSON.stringify(name.slice(0, 40))}`, {
      details: { known: [...PRESET_NAMES] },
    });
  }
  return PRESETS[name];
}
