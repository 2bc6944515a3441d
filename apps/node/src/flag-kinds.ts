/** The kinds of node flags (text, repeatable, switch, integer, duration, AIC amount, choice): each parses and
 * validates its raw text into a typed value, or its preset default, with a CLI_INVALID_ARGUMENT naming the flag. */

import { AicError } from '@aic/core';
import type { AicPreset } from '@aic/core/params';

/** Which command a flag belongs to: every node flag is on `aic node start`; `aic provider start` takes all but the
 * verifier's and coordinator's (and implies `--provider`). */
export type FlagGroup = 'node' | 'provider' | 'verifier' | 'coordinator';

/** What a flag's resolver gets besides its own text. */
export interface FlagContext {
  preset: AicPreset;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (the log format's default). */
  isTty: boolean;
}

export type RawValue = string | string[] | boolean | undefined;

export interface FlagSpec<T> {
  /** parseArgs / commander type: a value (`string`), a repeatable value (`strings`), or a switch (`boolean`). */
  readonly kind: 'string' | 'strings' | 'boolean';
  readonly group: FlagGroup;
  /** The value's placeholder in usage, e.g. `<port>`. */
  readonly value?: string;
  readonly description: string;
  /** The default as usage shows it; computed from the preset when the flag's default comes from one. */
  readonly defaultText?: (preset: AicPreset) => string;
  /** The flag's value from its raw text, or its default; throws CLI_INVALID_ARGUMENT naming the flag. */
  readonly resolve: (raw: RawValue, flag: string, ctx: FlagContext) => T;
}

export const MAX_ECHO = 40;

export function invalid(flag: string, expected: string, raw: unknown): AicError {
  const got = String(raw).slice(0, MAX_ECHO);
  return new AicError('CLI_INVALID_ARGUMENT', `--${flag} must be ${expected}, got ${JSON.stringify(got)}`, {
    details: { flag: `--${flag}` },
  });
}

export function text(group: FlagGroup, value: string, description: string): FlagSpec<string | undefined>;
export function text(
  group: FlagGroup,
  value: string,
  description: string,
  fallback: (ctx: FlagContext) => string,
  defaultText: (p: AicPreset) => string,
): FlagSpec<string>;
export function text(
  group: FlagGroup,
  value: string,
  description: string,
  fallback?: (ctx: FlagContext) => string,
  defaultText?: (p: AicPreset) => string,
): FlagSpec<string | undefined> {
  return {
    kind: 'string',
    group,
    value,
    description,
    ...(defaultText ? { defaultText } : {}),
    resolve: (raw, flag, ctx) => {
      if (raw === undefined) return fallback?.(ctx);
      if (typeof raw !== 'string' || raw.length === 0) throw invalid(flag, 'a non-empty value', raw);
      return raw;
    },
  };
}

export function strings(
  group: FlagGroup,
  value: string,
  description: string,
  fallback: (p: AicPreset) => readonly string[],
): FlagSpec<string[]> {
  return {
    kind: 'strings',
    group,
    value,
    description: `${description}, repeatable`,
    defaultText: (p) => (fallback(p).length === 0 ? 'none' : fallback(p).join(', ')),
    resolve: (raw, flag, ctx) => {
      if (raw === undefined) return [...fallback(ctx.preset)];
      const list = Array.isArray(raw) ? raw : [String(raw)];
      if (list.some((v) => v.length === 0)) throw invalid(flag, 'a non-empty value', '');
      return list;
    },
  };
}

export function bool(group: FlagGroup, description: string): FlagSpec<boolean> {
  return { kind: 'boolean', group, description, resolve: (raw) => raw === true };
}

export function int(
  group: FlagGroup,
  value: string,
  description: string,
  range: { min: number; max: number },
  fallback: (p: AicPreset) => number,
): FlagSpec<number> {
  return {
    kind: 'string',
    group,
    value,
    description,
    defaultText: (p) => String(fallback(p)),
    resolve: (raw, flag, ctx) => {
      if (raw === undefined) return fallback(ctx.preset);
      const n = typeof raw === 'string' && /^[0-9]{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
        throw invalid(flag, `an integer in ${range.min}..${range.max}`, raw);
      }
      return n;
    },
  };
}

/** A duration flag: an integer ≥ 100 ms (0 allowed where 0 means "never"). */
export function ms(group: FlagGroup, description: string, fallback: (p: AicPreset) => number, allowZero = false) {
  const spec = int(group, '<ms>', description, { min: allowZero ? 0 : 100, max: 2 ** 31 - 1 }, fallback);
  return {
    ...spec,
    resolve: (raw: RawValue, flag: string, ctx: FlagContext) => {
      const n = spec.resolve(raw, flag, ctx);
      if (n > 0 && n < 100) throw invalid(flag, `0 or an integer ≥ 100 (ms)`, raw);
      return n;
    },
  };
}

export const AIC_AMOUNT = /^[0-9]{1,12}(\.[0-9]{1,18})?$/;

export function aic(group: FlagGroup, description: string, fallback: (p: AicPreset) => string): FlagSpec<string> {
  return {
    kind: 'string',
    group,
    value: '<aic>',
    description,
    defaultText: fallback,
    resolve: (raw, flag, ctx) => {
      if (raw === undefined) return fallback(ctx.preset);
      if (typeof raw !== 'string' || !AIC_AMOUNT.test(raw)) throw invalid(flag, 'an AIC amount, e.g. 12.5', raw);
      return raw;
    },
  };
}

export function choice<const C extends readonly string[]>(
  group: FlagGroup,
  value: string,
  description: string,
  choices: C,
  fallback: (ctx: FlagContext) => C[number],
  defaultText: (p: AicPreset) => string,
): FlagSpec<C[number]> {
  return {
    kind: 'string',
    group,
    value,
    description: `${description}: ${choices.join(' | ')}`,
    defaultText,
    resolve: (raw, flag, ctx) => {
      if (raw === undefined) return fallback(ctx);
      if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
        throw invalid(flag, `one of ${choices.join(', ')}`, raw);
      }
      return raw as C[number];
    },
  };
}
