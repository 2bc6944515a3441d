/** The actions of `aic model …` (see model.ts), loaded only when one runs: they import the Model Vessel. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AicError } from '@aic/core';
import {
  evaluate,
  loadTrainedModel,
  type ModelTemplate,
  manifestWithResult,
  RUNTIME_BACKENDS,
  type RuntimeBackend,
  TEMPLATES,
  trainJob,
  validateManifest,
} from '@aic/model-vessel';
import type { CommandContext } from '../context.ts';
import { printResult, table } from '../output.ts';
import type { EvalOptions, TrainOptions } from './model.ts';

export async function listTemplates(ctx: CommandContext): Promise<void> {
  const rows = Object.values(TEMPLATES).map((t) => ({
    id: t.id,
    task: t.manifest.task,
    backend: t.job.backend,
    referenceAccuracy: t.referenceAccuracy,
  }));
  printResult(ctx.io, ctx.global.json, rows, (r) =>
    table(
      ['TEMPLATE', 'TASK', 'BACKEND', 'REFERENCE ACCURACY'],
      r.map((t) => [t.id, t.task, t.backend, t.referenceAccuracy.toFixed(3)]),
    ),
  );
}

export async function validate(ctx: CommandContext, _options: unknown, path: string): Promise<void> {
  const { manifest, graph } = validateManifest(await readText(path));
  const io = (t: {
    name: string;
    dtype: string;
    shape: readonly number[];
    labels?: readonly string[] | undefined;
  }) => ({
    name: t.name,
    dtype: t.dtype,
    shape: [...t.shape],
    ...(t.labels ? { labels: [...t.labels] } : {}),
  });
  const summary = {
    name: manifest.name,
    version: manifest.version,
    task: manifest.task,
    layers: graph.layers.length,
    parameters: graph.parameterCount,
    inputs: manifest.inputs.map(io),
    outputs: manifest.outputs.map(io),
    hyperparameters: Object.fromEntries(
      Object.entries(manifest.hyperparameters.properties).map(([name, p]) => [name, p.default]),
    ),
  };
  const tensorLine = (t: ReturnType<typeof io>) =>
    `${t.name} ${t.dtype}[${t.shape.join(', ')}]${t.labels ? ` labels ${t.labels.join(', ')}` : ''}`;
  printResult(ctx.io, ctx.global.json, summary, (s) =>
    [
      `valid: ${s.name}@${s.version} (${s.task}), ${s.layers} layers, ${s.parameters} parameters`,
      ...s.inputs.map((t) => `input   ${tensorLine(t)}`),
      ...s.outputs.map((t) => `output  ${tensorLine(t)}`),
      `hyperparameters (defaults) ${Object.entries(s.hyperparameters)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ')}`,
    ].join('\n'),
  );
}

export async function train(ctx: CommandContext, options: TrainOptions, templateId: string): Promise<void> {
  const template = templateOf(templateId);
  const backend = backendOf(options.backend ?? template.job.backend);
  const data = await template.loadData();
  const hyperparameters = options.epochs === undefined ? {} : { epochs: positiveInt('--epochs', options.epochs) };
  const spec = {
    ...template.job,
    manifest: template.manifest,
    backend,
    seed: options.seed === undefined ? template.job.seed : positiveInt('--seed', options.seed),
    hyperparameters,
  };
  const live = ctx.io.stderr.isTTY === true && !ctx.global.json;
  const result = await trainJob(spec, data.train, {
    onProgress: (p) => {
      if (!live) return;
      const acc = p.accuracy === undefined ? '' : `  accuracy ${p.accuracy.toFixed(3)}`;
      ctx.io.stderr.write(
        `\r\x1b[2Kepoch ${p.epoch + 1}  step ${p.step}/${p.totalSteps}  loss ${p.loss.toFixed(4)}${acc}`,
      );
    },
  });
  if (live) ctx.io.stderr.write('\n');
  try {
    const test = await evaluate(result.model, data.test);
    const manifest = manifestWithResult(template.manifest, {
      weightsCid: result.resultCid,
      metrics: [{ name: 'accuracy', split: 'test', value: test.accuracy ?? 0, dataset: data.source }],
    });
    if (options.out) {
      await mkdir(options.out, { recursive: true });
      await writeFile(join(options.out, 'weights.safetensors'), result.weights);
      await writeFile(join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    const summary = {
      template: template.id,
      backend,
      steps: result.steps,
      finalLoss: result.finalLoss,
      testAccuracy: test.accuracy ?? null,
      referenceAccuracy: template.referenceAccuracy,
      commitments: result.commitments.length,
      commitmentRoot: result.commitmentRoot,
      weightsHash: result.weightsHash,
      resultCid: result.resultCid,
      out: options.out ?? null,
    };
    printResult(ctx.io, ctx.global.json, summary, (s) =>
      [
        `trained ${s.template} on ${s.backend}: ${s.steps} steps, final loss ${s.finalLoss.toFixed(4)}`,
        `test accuracy   ${s.testAccuracy?.toFixed(4) ?? 'n/a'} (reference ${s.referenceAccuracy})`,
        `commitment root ${s.commitmentRoot} (${s.commitments} checkpoints)`,
        `weights         ${s.resultCid}${s.out ? ` → ${s.out}` : ''}`,
      ].join('\n'),
    );
  } finally {
    result.model.dispose();
  }
}

export async function evaluateWeights(ctx: CommandContext, options: EvalOptions, templateId: string): Promise<void> {
  const template = templateOf(templateId);
  const model = await loadTrainedModel(template.manifest, await readBytes(options.weights), backendOf(options.backend));
  try {
    const { test } = await template.loadData();
    const result = await evaluate(model, test);
    printResult(
      ctx.io,
      ctx.global.json,
      { template: template.id, ...result },
      (r) =>
        `${r.template}: test accuracy ${r.accuracy?.toFixed(4) ?? 'n/a'}, loss ${r.loss.toFixed(4)} on ${r.count} samples`,
    );
  } finally {
    model.dispose();
  }
}

function templateOf(id: string): ModelTemplate {
  const template = TEMPLATES[id];
  if (!template) {
    throw new AicError('CLI_INVALID_ARGUMENT', `unknown template ${id} (one of: ${Object.keys(TEMPLATES).join(', ')})`);
  }
  return template;
}

function backendOf(value: string): RuntimeBackend {
  if (!(RUNTIME_BACKENDS as readonly string[]).includes(value)) {
    throw new AicError('CLI_INVALID_ARGUMENT', `unknown backend ${value} (one of: ${RUNTIME_BACKENDS.join(', ')})`);
  }
  return value as RuntimeBackend;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AicError('CLI_INVALID_ARGUMENT', `${name} must be a positive integer`);
  return n;
}

async function readText(path: string): Promise<string> {
  return (await readBytes(path)).toString();
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new AicError('CLI_FILE_UNREADABLE', `cannot read ${path}`, { cause });
  }
}
