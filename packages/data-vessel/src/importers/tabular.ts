import { AicError } from '@aic/core';
import { buildDataset, type ImportedDataset, type PublishOptions } from '../digitize/index.ts';
import { type ColumnDecision, type ColumnType, type CsvTable, decideColumnTypes, numericCell } from './column-types.ts';
import { parseCsvLines } from './csv-parse.ts';

/** How to read a CSV table. */
export interface CsvImportOptions extends PublishOptions {
  readonly name: string;
  readonly description?: string;
  /** The column to predict. */
  readonly labelColumn: string;
  /** Columns to one-hot encode (the same as declaring them `categorical` in `columnTypes`). */
  readonly categoricalColumns?: readonly string[];
  /** Column types by name; a column not named here is typed from its values (see {@link decideColumnTypes}). */
  readonly columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Keep NaN, ±Infinity and overflowing numbers in numeric columns (statistics use the finite values only). */
  readonly allowNonFinite?: boolean;
  /** Default: classification when the label column is categorical, regression when it is numeric. */
  readonly task?: 'classification' | 'regression';
}

/** The dataset plus how each column was typed (what `aic data import csv` prints). */
export interface CsvImport {
  readonly dataset: ImportedDataset;
  readonly columns: readonly ColumnDecision[];
  readonly task: 'classification' | 'regression';
}

const sortedDistinct = (values: readonly string[]) => [...new Set(values)].sort();

interface ColumnPlan {
  readonly numeric: number[];
  readonly categorical: { index: number; categories: string[] }[];
}

function planColumns(table: CsvTable, decisions: readonly ColumnDecision[]): ColumnPlan {
  const plan: ColumnPlan = { numeric: [], categorical: [] };
  for (const [index, d] of decisions.entries()) {
    if (d.role === 'label') continue;
    if (d.type === 'numeric') plan.numeric.push(index);
    else plan.categorical.push({ index, categories: sortedDistinct(table.body.map((r) => r[index] as string)) });
  }
  return plan;
}

/** Mean and standard deviation over the finite values (non-finite ones only reach here when allowed). */
function zscoreStats(values: readonly number[]): { mean: number; std: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: 0, std: 1 };
  const mean = finite.reduce((a, v) => a + v, 0) / finite.length;
  const variance = finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length;
  return { mean, std: variance > 0 ? Math.sqrt(variance) : 1 };
}

function declaredTypes(options: CsvImportOptions): Map<string, ColumnType> {
  const declared = new Map<string, ColumnType>();
  for (const name of options.categoricalColumns ?? []) declared.set(name, 'categorical');
  for (const [name, type] of Object.entries(options.columnTypes ?? {})) {
    if (declared.has(name) && declared.get(name) !== type) {
      throw new AicError('DATA_IMPORT_OPTIONS_INVALID', `column "${name}" is declared both categorical and ${type}`, {
        details: { column: name },
      });
    }
    declared.set(name, type);
  }
  return declared;
}

function taskOf(options: CsvImportOptions, label: ColumnDecision): 'classification' | 'regression' {
  const task = options.task ?? (label.type === 'categorical' ? 'classification' : 'regression');
  if (task === 'regression' && label.type === 'categorical') {
    throw new AicError(
      'DATA_IMPORT_OPTIONS_INVALID',
      `a regression label must be numeric, but column "${label.name}" is categorical (${label.reason})`,
      { details: { labelColumn: label.name } },
    );
  }
  return task;
}

// Regression labels must be finite whatever --allow-non-finite says: a NaN target trains nothing.
function labelsOf(table: CsvTable, label: number, task: 'classification' | 'regression') {
  if (task === 'regression') {
    return { labels: Float32Array.from(table.body, (_, r) => numericCell(table, r, label, false)), classes: undefined };
  }
  const values = table.body.map((r) => r[label] as string);
  const classes = sortedDistinct(values);
  const id = new Map(classes.map((c, i) => [c, i]));
  return { labels: Int32Array.from(values, (v) => id.get(v) as number), classes };
}

function readTable(text: string, labelColumn: string): { table: CsvTable; label: number } {
  const { rows, lines } = parseCsvLines(text);
  const [header, ...body] = rows;
  const label = header?.indexOf(labelColumn) ?? -1;
  if (!header || label < 0) {
    throw new AicError('DATA_CSV_INVALID', `the header has no column "${labelColumn}"`, {
      details: { labelColumn },
    });
  }
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw new AicError('DATA_CSV_INVALID', `line 1: column "${duplicate}" appears twice in the header`, {
      details: { line: 1, column: duplicate },
    });
  }
  return { table: { header, body, lines: lines.slice(1) }, label };
}

/**
 * Digitizes a CSV table and reports how each column was typed. Numeric columns are z-score normalized (statistics
 * kept in the manifest), categorical columns one-hot encoded, the label column becomes class ids (classification)
 * or F32 values (regression). Column types are inferred (all values numbers → numeric, none → categorical) unless
 * declared; a value that does not fit its column, an empty cell or a non-finite number is an error naming its line
 * and column (DATA_CSV_NOT_A_NUMBER, DATA_CSV_MIXED_COLUMN, DATA_CSV_EMPTY_CELL, DATA_CSV_NON_FINITE). Also throws
 * DATA_CSV_INVALID (bad CSV, missing label column), DATA_IMPORT_OPTIONS_INVALID or DATA_IMPORT_EMPTY.
 *
 * @example
 * const { dataset, columns } = importCsvWithReport(text, { name: 'iris', labelColumn: 'species', license: 'CC0-1.0', pricePerUseWei: 0n });
 */
export function importCsvWithReport(text: string, options: CsvImportOptions): CsvImport {
  const { table, label } = readTable(text, options.labelColumn);
  const allowNonFinite = options.allowNonFinite === true;
  const columns = decideColumnTypes(table, label, { declared: declaredTypes(options), allowNonFinite });
  const task = taskOf(options, columns[label] as ColumnDecision);
  const plan = planColumns(table, columns);
  const numeric = plan.numeric.map((c) => table.body.map((_, r) => numericCell(table, r, c, allowNonFinite)));
  const stats = numeric.map(zscoreStats);
  const width = plan.numeric.length + plan.categorical.reduce((a, c) => a + c.categories.length, 0);
  if (width === 0) throw new AicError('DATA_CSV_INVALID', 'the table has no feature column besides the label');
  const features = new Float32Array(table.body.length * width);
  for (const [r, row] of table.body.entries()) {
    let at = r * width;
    for (const [k, { mean, std }] of stats.entries()) features[at++] = ((numeric[k]?.[r] ?? 0) - mean) / std;
    for (const { index, categories } of plan.categorical) {
      features[at + categories.indexOf(row[index] as string)] = 1;
      at += categories.length;
    }
  }
  const { labels, classes } = labelsOf(table, label, task);
  const header = table.header;
  const oneHot = plan.categorical.flatMap(({ index, categories }) => categories.map((c) => `${header[index]}=${c}`));
  const identity = oneHot.map(() => ({ mean: 0, std: 1 }));
  const dataset = buildDataset(
    { rows: table.body.length, features, featureShape: [width], labels, labelShape: [] },
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
        labelColumn: options.labelColumn,
        numericColumns: plan.numeric.map((c) => header[c] as string),
        categoricalColumns: plan.categorical.map(({ index, categories }) => ({
          name: header[index] as string,
          categories,
        })),
      },
    },
    options,
  );
  return { dataset, columns, task };
}

/** {@link importCsvWithReport} without the report. */
export function importCsv(text: string, options: CsvImportOptions): ImportedDataset {
  return importCsvWithReport(text, options).dataset;
}
