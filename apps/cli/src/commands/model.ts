/**
 * `aic model templates | validate | train | eval | publish | price | call`: the Model Vessel from the command line. Training
 * runs locally in the deterministic runtime on a template's shipped data, with a live step / loss / accuracy line
 * (terminal only), and writes the weights (safetensors) plus the manifest updated with the result. Publishing and
 * paid calls go through the node at --api (its account mints, pays and signs). The actions (and TensorFlow.js) load
 * only when one runs; publish and call never load TensorFlow.js here (the node validates and runs the model).
 */
import type { Command } from 'commander';
import { action } from '../context.ts';
import type { CliIo } from '../io.ts';
import { MODEL_RUNTIME_BACKENDS, MODEL_TEMPLATE_IDS } from '../known.ts';

const run = () => import('./model-run.ts');
const viaNode = () => import('./model-node-run.ts');

export function registerModelCommands(program: Command, io: CliIo): void {
  const model = program.command('model').description('model manifests, local training and evaluation (Model Vessel)');
  const templates = `one of: ${MODEL_TEMPLATE_IDS.join(', ')}`;
  model
    .command('templates')
    .description('list the built-in templates and their reference accuracy')
    .action(action(io, async (ctx) => (await run()).listTemplates(ctx)));
  model
    .command('validate')
    .description('check a model manifest against the schema, the layer allow-list and the limits')
    .argument('<manifest>', 'path of a model manifest JSON file')
    .action(action(io, async (ctx, o: unknown, path: string) => (await run()).validate(ctx, o, path)));
  model
    .command('train')
    .description('train a template on its shipped data (deterministic runtime), evaluate it, write the result')
    .argument('<template>', templates)
    .option('--backend <backend>', `runtime backend (${MODEL_RUNTIME_BACKENDS.join(', ')}); default: the template's`)
    .option('--epochs <n>', 'override the epochs hyperparameter')
    .option('--seed <n>', "job seed (default: the template's)")
    .option('--out <dir>', 'write weights.safetensors and manifest.json here')
    .action(action(io, async (ctx, o: TrainOptions, id: string) => (await run()).train(ctx, o, id)));
  model
    .command('eval')
    .description("evaluate trained weights on a template's held-out test split")
    .argument('<template>', templates)
    .requiredOption('--weights <file>', 'weights.safetensors written by `aic model train --out`')
    .option('--backend <backend>', 'runtime backend', 'cpu')
    .action(action(io, async (ctx, o: EvalOptions, id: string) => (await run()).evaluateWeights(ctx, o, id)));
  model
    .command('publish')
    .description(
      'publish a model manifest through your node: its exact bytes are stored and served, a Model NFT minted',
    )
    .argument('<manifest>', 'path of a model manifest JSON file')
    .requiredOption('--price <aic>', 'price of one use on PLAZA, in AIC')
    .action(action(io, async (ctx, o: PublishOptions, path: string) => (await viaNode()).publish(ctx, o, path)));
  model
    .command('price')
    .description('set the PLAZA price per use of a Model or TrainedAI NFT your node account owns')
    .argument('<id>', 'asset id of the Model or TrainedAI NFT')
    .requiredOption('--price <aic>', 'price of one use, in AIC')
    .action(action(io, async (ctx, o: PublishOptions, id: string) => (await viaNode()).setPrice(ctx, o, id)));
  model
    .command('call')
    .description('run a Model or TrainedAI NFT on a node that holds it, paid by one of your PLAZA uses')
    .argument('<id>', 'asset id of the Model or TrainedAI NFT')
    .option('--input <json|file>', 'one input sample: JSON numbers (nested as the input shape) or a file holding them')
    .option('--inputs <json|file>', 'several samples: a JSON array of samples, or a file holding one')
    .action(action(io, async (ctx, o: CallOptions, id: string) => (await viaNode()).call(ctx, o, id)));
}

export interface PublishOptions {
  price: string;
}

export interface CallOptions {
  input?: string;
  inputs?: string;
}

export interface TrainOptions {
  backend?: string;
  epochs?: string;
  seed?: string;
  out?: string;
}

export interface EvalOptions {
  weights: string;
  backend: string;
}
