import { AicError } from '@aic/core';
import { type CheckedGraph, checkTopology } from '../graph/check-topology.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from '../limits.ts';
import { hyperparameterProblem } from './hyperparameters.ts';
import { parseBoundedJson, valueDepth } from './json-guard.ts';
import { type ModelManifest, modelManifestSchema } from './schema.ts';

/** A problem found in a manifest: where (a dotted path like `inputs[0].shape`) and why. */
export interface ManifestIssue {
  readonly path: string;
  readonly reason: string;
}

/** A manifest that passed every check, with its checked graph (shapes, parameter count, FLOPs). */
export interface ValidatedModel {
  readonly manifest: ModelManifest;
  readonly graph: CheckedGraph;
}

function pathToString(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

function invalid(issues: ManifestIssue[]): never {
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path || '(root)'}: ${i.reason}`)
    .join('; ');
  throw new AicError('MODEL_MANIFEST_INVALID', summary, { details: { issues } });
}

function checkSemantics(manifest: ModelManifest, graph: CheckedGraph): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const output = manifest.outputs[0];
  if (output && output.shape.join() !== graph.outputShape.join()) {
    issues.push({ path: 'outputs[0].shape', reason: `the architecture outputs [${graph.outputShape.join(', ')}]` });
  }
  if (output?.labels && output.labels.length !== output.shape[output.shape.length - 1]) {
    issues.push({ path: 'outputs[0].labels', reason: 'needs one label per output unit' });
  }
  for (const [name, property] of Object.entries(manifest.hyperparameters.properties)) {
    const problem = hyperparameterProblem(property, property.default);
    if (problem) issues.push({ path: `hyperparameters.properties.${name}.default`, reason: problem });
  }
  const shares = manifest.lineage.parents.reduce((a, p) => a + p.shareBps, 0);
  if (shares > 10_000)
    issues.push({ path: 'lineage.parents', reason: 'revenue shares add up to more than 10,000 bps' });
  return issues;
}

/**
 * Validates an untrusted model manifest (JSON text or parsed value): size and nesting limits, the schema, the
 * architecture allow-list and limits, and consistency (output shape, labels, hyperparameter defaults, lineage).
 * Nothing is built or run. Throws AicError with a stable code (MODEL_MANIFEST_INVALID, MODEL_LAYER_NOT_ALLOWED,
 * MODEL_ARCHITECTURE_INVALID, MODEL_TOO_LARGE, MODEL_JSON_TOO_LARGE, MODEL_JSON_TOO_DEEP, MODEL_JSON_INVALID)
 * and `details.issues = [{ path, reason }]` where it applies.
 *
 * @example
 * const { manifest, graph } = validateManifest(await readFile('model.json', 'utf8'));
 * console.log(graph.parameterCount);
 */
export function validateManifest(input: unknown, limits: ModelLimits = DEFAULT_MODEL_LIMITS): ValidatedModel {
  const value =
    typeof input === 'string' ? parseBoundedJson(input, limits.maxManifestBytes, limits.maxJsonDepth) : input;
  if (typeof input !== 'string') {
    if (valueDepth(value, limits.maxJsonDepth) > limits.maxJsonDepth) {
      throw new AicError('MODEL_JSON_TOO_DEEP', `manifest nests more than ${limits.maxJsonDepth} levels`);
    }
    let text: string;
    try {
      text = JSON.stringify(value) ?? 'null';
    } catch (cause) {
      throw new AicError('MODEL_JSON_INVALID', 'manifest is not JSON-serializable', { cause });
    }
    parseBoundedJson(text, limits.maxManifestBytes, limits.maxJsonDepth);
  }
  const parsed = modelManifestSchema.safeParse(value);
  if (!parsed.success) {
    invalid(parsed.error.issues.map((issue) => ({ path: pathToString(issue.path), reason: issue.message })));
  }
  const manifest = parsed.data;
  const inputShape = manifest.inputs[0]?.shape ?? [];
  let graph: CheckedGraph;
  try {
    graph = checkTopology(manifest.architecture.modelTopology, inputShape, limits);
  } catch (error) {
    // Re-root the topology paths at the manifest.
    if (error instanceof AicError && Array.isArray(error.details.issues)) {
      const issues = (error.details.issues as ManifestIssue[]).map((i) => ({ ...i, path: `architecture.${i.path}` }));
      throw new AicError(error.code, `architecture.${error.message}`, { details: { issues } });
    }
    throw error;
  }
  const issues = checkSemantics(manifest, graph);
  if (issues.length > 0) invalid(issues);
  return { manifest, graph };
}
