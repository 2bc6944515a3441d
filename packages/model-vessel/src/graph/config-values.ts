import { ALLOWED_ACTIVATIONS, ALLOWED_INITIALIZERS, IGNORED_KEY_ACCEPTS, type KeyKind } from './allow-list.ts';

/** An initializer after validation: an allowed class name and its numeric config (seed removed). */
export interface InitializerSpec {
  readonly className: string;
  readonly config: Readonly<Record<string, number>>;
}

/** A refused value: the reason, to be reported with its path. */
export class ConfigValueError {
  constructor(readonly reason: string) {}
}

const NAME = /^[A-Za-z0-9_.\-/]{1,64}$/;
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

// Keras writes initializers as {class_name, config}; people write 'glorot_uniform' or 'glorotUniform'.
function toPascal(name: string): string {
  const pascal = name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
  return pascal.replace(/^Lecun/, 'LeCun');
}

function initializerValue(v: unknown): InitializerSpec {
  const obj = v as { class_name?: unknown; config?: unknown } | null;
  const className = typeof v === 'string' ? toPascal(v) : obj && typeof obj === 'object' ? obj.class_name : undefined;
  if (typeof className !== 'string' || !Object.hasOwn(ALLOWED_INITIALIZERS, className)) {
    throw new ConfigValueError(`initializer ${JSON.stringify(className ?? v)} is not on the allow-list`);
  }
  const allowed = ALLOWED_INITIALIZERS[className] ?? [];
  const raw = typeof v === 'string' ? {} : ((obj?.config ?? {}) as Record<string, unknown>);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigValueError('bad initializer config');
  const config: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!allowed.includes(key)) throw new ConfigValueError(`initializer key ${key} is not allowed`);
    if (key === 'seed') continue; // seeds always come from the job seed
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 1e6) {
      throw new ConfigValueError(`initializer ${key} must be a finite number`);
    }
    config[key] = value;
  }
  return { className, config };
}

function sizeValue(v: unknown, rank: 1 | 2): number | [number, number] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every(isPosInt) || (list.length !== 1 && list.length !== rank) || list.some((d) => d > 4096)) {
    throw new ConfigValueError(`must be a positive integer or ${rank} of them (≤ 4096)`);
  }
  if (rank === 1) return list[0] as number;
  return [list[0] as number, (list[1] ?? list[0]) as number];
}

/** Validates one config value of the given kind and returns its normalized form. */
export function checkConfigValue(kind: KeyKind, key: string, v: unknown): unknown {
  switch (kind) {
    case 'name':
      if (typeof v !== 'string' || !NAME.test(v)) throw new ConfigValueError('name must match [A-Za-z0-9_.-/]{1,64}');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new ConfigValueError('must be true or false');
      return v;
    case 'float32':
      if (v !== 'float32') throw new ConfigValueError('only float32 layers are supported');
      return v;
    case 'posInt':
      if (!isPosInt(v)) throw new ConfigValueError('must be a positive integer');
      return v;
    case 'size1':
      return sizeValue(v, 1);
    case 'size2':
      return sizeValue(v, 2);
    case 'activation':
      if (!(ALLOWED_ACTIVATIONS as readonly unknown[]).includes(v)) {
        throw new ConfigValueError(`activation ${JSON.stringify(v)} is not on the allow-list`);
      }
      return v;
    case 'initializer':
      return initializerValue(v);
    case 'padding':
      if (v !== 'valid' && v !== 'same') throw new ConfigValueError("padding must be 'valid' or 'same'");
      return v;
    case 'channelsLast':
      if (v !== 'channelsLast' && v !== 'channels_last') throw new ConfigValueError('only channels_last is supported');
      return 'channelsLast';
    case 'rate':
    case 'fraction':
      if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new ConfigValueError('must be a number in [0, 1)');
      return v;
    case 'positive':
      if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new ConfigValueError('must be a number in (0, 1)');
      return v;
    case 'lastAxis':
      if (v !== -1 && !(Array.isArray(v) && v.length === 1 && v[0] === -1)) {
        throw new ConfigValueError('only axis -1 is supported');
      }
      return -1;
    case 'shape':
      if (!Array.isArray(v) || v.length === 0 || v.length > 8 || !v.every(isPosInt)) {
        throw new ConfigValueError('must be 1 to 8 positive integers');
      }
      return [...v];
    case 'ignored': {
      const accepts = IGNORED_KEY_ACCEPTS[key];
      if (v === null || v === undefined || accepts?.(v)) return undefined;
      throw new ConfigValueError(`${key} is not supported (must be null or absent)`);
    }
  }
}
