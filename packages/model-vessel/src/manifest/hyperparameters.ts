import { AicError } from '@aic/core';
import type { ModelManifest } from './schema.ts';

export type HyperparameterValue = number | string | boolean;
type Property = ModelManifest['hyperparameters']['properties'][string];

/** Why `value` does not satisfy `property`, or undefined when it does. */
export function hyperparameterProblem(property: Property, value: unknown): string | undefined {
  const { type } = property;
  if (type === 'integer' && !(typeof value === 'number' && Number.isSafeInteger(value))) return 'must be an integer';
  if (type === 'number' && !(typeof value === 'number' && Number.isFinite(value))) return 'must be a finite number';
  if (type === 'string' && typeof value !== 'string') return 'must be a string';
  if (type === 'boolean' && typeof value !== 'boolean') return 'must be a boolean';
  if (typeof value === 'number' && property.minimum !== undefined && value < property.minimum) {
    return `must be ≥ ${property.minimum}`;
  }
  if (typeof value === 'number' && property.maximum !== undefined && value > property.maximum) {
    return `must be ≤ ${property.maximum}`;
  }
  if (property.enum !== undefined && !property.enum.includes(value as number | string)) {
    return `must be one of ${property.enum.join(', ')}`;
  }
  return undefined;
}

/**
 * The manifest's hyperparameter defaults with `overrides` applied; every override must name a declared property
 * and satisfy it. Throws MODEL_HYPERPARAMETER_INVALID with `details.issues`.
 */
export function resolveHyperparameters(
  schema: ModelManifest['hyperparameters'],
  overrides: Readonly<Record<string, HyperparameterValue>> = {},
): Record<string, HyperparameterValue> {
  const resolved: Record<string, HyperparameterValue> = {};
  for (const [name, property] of Object.entries(schema.properties)) resolved[name] = property.default;
  const issues: { path: string; reason: string }[] = [];
  for (const [name, value] of Object.entries(overrides)) {
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    const problem =
      property === undefined ? 'is not a declared hyperparameter' : hyperparameterProblem(property, value);
    if (problem !== undefined) issues.push({ path: `hyperparameters.${name}`, reason: problem });
    else resolved[name] = value;
  }
  if (issues.length > 0) {
    throw new AicError('MODEL_HYPERPARAMETER_INVALID', issues.map((i) => `${i.path} ${i.reason}`).join('; '), {
      details: { issues },
    });
  }
  return resolved;
}
