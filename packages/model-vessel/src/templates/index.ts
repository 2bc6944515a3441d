import { intentTemplate } from './intent.ts';
import { irisTemplate } from './iris.ts';
import { mnistTemplate } from './mnist.ts';
import { speechTemplate } from './speech.ts';
import type { ModelTemplate } from './template.ts';

export { featurizeUtterance, INTENTS, intentTemplate, majorityBaseline } from './intent.ts';
export { irisTemplate } from './iris.ts';
export { mnistTemplate } from './mnist.ts';
export { COMMANDS, speechTemplate } from './speech.ts';
export type { ModelTemplate, TemplateData } from './template.ts';
export { type Audio, decodeWav, encodeWav, logBandEnergies } from './wav.ts';

/** Every template by id: image recognition, tabular, text intent, speech commands. */
export const TEMPLATES: Readonly<Record<string, ModelTemplate>> = {
  mnist: mnistTemplate,
  iris: irisTemplate,
  intent: intentTemplate,
  speech: speechTemplate,
};
