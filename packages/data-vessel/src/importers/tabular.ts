import { AicError } from '@aic/core';
import { buildDataset, type ImportedDataset, type PublishOptions } from '../digitize/index.ts';
import { parseCsv } from './csv-parse.ts';

/** How to read a CSV table. */
export interface CsvImportOptions extends PublishOptions {
  readonly name: string;
  readonly description?: string;
  /** The column to predict. */
  readonly labelColumn: string;
  /** Columns to one-hot encode; columns with any non-numeric value are categorical anyway. */
  readonly categoricalColumns?: readonly string[];
  /** Default: classification when any label is non-numeric or `categoricalColumns` names the label. */
  readonly task?: 'classification' | 'regression';
}

const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));
const sortedDistinct = (values: readonly string[]) => [...new Set(values)].sort();

interface ColumnPlan {
  readonly numeric: number[];
  readonly categorical: { index: number; categories: string[] }[];
}

function planColumns(header: string[], body: string[][], label: number, options: CsvImportOptions): ColumnPlan {
  const forced = new Set(options.categoricalColumns ?? []);
  const plan: ColumnPlan = { numeric: [], categorical: [] };
  for (const [index, name] of header.entries()) {
    if (index === label) continue;
    const values = body.map((r) => r[index] as string);
    if (forced.has(name) || !values.every(isNumber))
      plan.categorical.push({ index, categories: sortedDistinct(values) });
    else plan.numeric.push(index);
  }
  return plan;
}

function zscoreStats(body: string[][], column: number): { mean: number; std: number } {
  const values = body.map((r) => Number(r[column]));
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
}

function labelsOf(body: string[][], label: number, task: 'classification' | 'regression') {
  const values = body.map((r) => r[label] as string);
  if (task === 'regression') {
    const bad = values.findIndex((v) => !isNumber(v));
    if (bad >= 0) {
      throw new AicError('DATA_CSV_INVALID', `row ${bad + 1}: regression label "${values[bad]}" is not a number`, {
        details: { row: bad + 1 },
      });
    }
    return { labels: Float32Array.from(values, Number), classes: undefined };
  }
  const classes = sortedDistinct(values);
  const id = new Map(classes.map((c, i) => [c, i]));
  return { labels: Int32Array.from(values, (v) => id.get(v) as number), classes };
}

/**
 * Digitizes a CSV table: numeric columns are z-score normalized (statistics kept in the manifest), categorical
 * columns one-hot encoded, the label column becomes class ids (classification) or F32 values (regression).
 * Throws DATA_CSV_INVALID (bad CSV, missing label column) or DATA_IMPORT_EMPTY.
 *
 * @example
 * const { manifest, shards } = importCsv(text, { name: 'iris', labelColumn: 'species', license: 'CC0-1.0', pricePerUseWei: 0n });
 */
export function importCsv(text: string, options: CsvImportOptions): ImportedDataset {
  const [header, ...body] = parseCsv(text);
  const label = header?.indexOf(options.labelColumn) ?? -1;
  if (!header || label < 0) {
    throw new AicError('DATA_CSV_INVALID', `the header has no column "${options.labelColumn}"`, {
      details: { labelColumn: options.labelColumn },
    });
  }
  const plan = planColumns(header, body, label, options);
  const stats = plan.numeric.map((c) => zscoreStats(body, c));
  const width = plan.numeric.length + plan.categorical.reduce((a, c) => a + c.categories.length, 0);
  if (width === 0) throw new AicError('DATA_CSV_INVALID', 'the table has no feature column besides the label');
  const features = new Float32Array(body.length * width);
  for (const [r, row] of body.entries()) {
    let at = r * width;
    for (const [k, c] of plan.numeric.entries()) {
      const { mean, std } = stats[k] as { mean: number; std: number };
      features[at++] = (Number(row[c]) - mean) / std;
    }
    for (const { index, categories } of plan.categorical) {
      features[at + categories.indexOf(row[index] as string)] = 1;
      at += categories.length;
    }
  }
  const labelName = options.labelColumn;
  const forcedLabel = options.categoricalColumns?.includes(labelName) ?? false;
  const task =
    options.task ?? (forcedLabel || !body.every((r) => isNumber(r[label] as string)) ? 'classification' : 'regression');
  const { labels, classes } = labelsOf(body, label, task);
  const oneHot = plan.categorical.flatMap(({ index, categories }) => categories.map((c) => `${header[index]}=${c}`));
  const identity = oneHot.map(() => ({ mean: 0, std: 1 }));
  return buildDataset(
    { rows: body.length, features, featureShape: [width], labels, labelShape: [] },
    {
      name: options.name,
      ...(options.description === undefined ? {} : { description: options.description }),
      sourceKind: 'tabular-csv',
      task,
      ...(classes === undefined ? {} : { classes }),
      featureNames: [...plan.numeric.map((c) => header[c] as string), ...oneHot],
      normalization: {
        kind: 'zscore',
        mean: [...stats, ...identity].map((s) => s.mean),
        std: [...stats, ...identity].map((s) => s.std),
      },
      preprocessing: {
        kind: 'tabular',
        labelColumn: labelName,
        numericColumns: plan.numeric.map((c) => header[c] as string),
        categoricalColumns: plan.categorical.map(({ index, categories }) => ({
          name: header[index] as string,
          categories,
        })),
      },
    },
    options,
  );
}
