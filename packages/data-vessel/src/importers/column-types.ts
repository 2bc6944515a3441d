import { AicError } from '@aic/core';

// Deciding each CSV column's type explicitly (pure). A column is numeric when every value is a number, categorical
// when no value is one, and anything in between is an error naming the line and column of the value that does not
// fit, unless the user declares the type. Empty cells and non-finite numbers (NaN, Infinity, 1e999) are errors too:
// a silent switch to one-hot categories, or a NaN in a z-score, would corrupt the dataset without anyone noticing.

export type ColumnType = 'numeric' | 'categorical';
export const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'categorical'];

/** How one column was typed, for the import report. */
export interface ColumnDecision {
  readonly name: string;
  readonly role: 'feature' | 'label';
  readonly type: ColumnType;
  readonly decidedBy: 'declared' | 'inferred';
  /** Why, in words: "all 150 values are numbers", "no value is a number (3 distinct)", "declared categorical". */
  readonly reason: string;
}

/** The table as parsed: header, rows, and the file line each row starts on. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly body: readonly (readonly string[])[];
  readonly lines: readonly number[];
}

export interface ColumnTypeOptions {
  /** Types given by the user, by column name; they win over inference. */
  readonly declared: ReadonlyMap<string, ColumnType>;
  /** Keep NaN / ±Infinity / overflowing numbers in numeric columns instead of refusing them. */
  readonly allowNonFinite: boolean;
}

// Decimal numbers as a person writes them (no hex, no digit separators), and the non-finite spellings.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** True when `value` reads as a number (finite or not): the test inference and declared-numeric columns use. */
export function isNumberText(value: string): boolean {
  const v = value.trim();
  return DECIMAL.test(v) || NON_FINITE.test(v);
}

/** The cell's value as a number, or DATA_CSV_NON_FINITE (line, column) when it is not finite and not allowed. */
export function numericCell(table: CsvTable, row: number, column: number, allowNonFinite: boolean): number {
  const text = cellText(table, row, column);
  const v = text.trim();
  const n = NON_FINITE.test(v) ? nonFiniteValue(v) : Number(v);
  if (!Number.isFinite(n) && !allowNonFinite) {
    throw cellError(
      'DATA_CSV_NON_FINITE',
      table,
      row,
      column,
      `${quote(text)} is not a finite number${DECIMAL.test(v) ? ' (it overflows a 64-bit float)' : ''}; fix it or pass --allow-non-finite`,
    );
  }
  return n;
}

/**
 * Decides the type of every column (the label included) and checks each cell against it. Throws, naming the line
 * and column: DATA_CSV_EMPTY_CELL for an empty cell, DATA_CSV_NOT_A_NUMBER for text in a numeric column (inferred
 * because most values are numbers, or declared), DATA_CSV_MIXED_COLUMN for a column that is mostly text with a few
 * numbers (declare it), DATA_IMPORT_OPTIONS_INVALID for a declared type on a column the table does not have.
 */
export function decideColumnTypes(table: CsvTable, label: number, options: ColumnTypeOptions): ColumnDecision[] {
  for (const name of options.declared.keys()) {
    if (!table.header.includes(name)) {
      throw new AicError('DATA_IMPORT_OPTIONS_INVALID', `--column-type names "${name}", which is not a column`, {
        details: { column: name, columns: [...table.header] },
      });
    }
  }
  return table.header.map((name, column) => {
    checkNoEmptyCell(table, column);
    const role = column === label ? 'label' : 'feature';
    const declared = options.declared.get(name);
    if (declared !== undefined) {
      if (declared === 'numeric') checkNumeric(table, column, `declared numeric`);
      return { name, role, type: declared, decidedBy: 'declared', reason: `declared ${declared}` };
    }
    return { name, role, ...inferColumn(table, column) };
  });
}

function inferColumn(table: CsvTable, column: number): Omit<ColumnDecision, 'name' | 'role'> {
  const rows = table.body.length;
  const numbers = table.body.filter((r) => isNumberText(r[column] ?? '')).length;
  if (numbers === rows) {
    return { type: 'numeric', decidedBy: 'inferred', reason: `all ${rows} values are numbers` };
  }
  const distinct = new Set(table.body.map((r) => r[column])).size;
  if (numbers === 0) {
    return { type: 'categorical', decidedBy: 'inferred', reason: `no value is a number (${distinct} distinct)` };
  }
  const name = table.header[column] as string;
  if (numbers * 2 >= rows) checkNumeric(table, column, `${numbers} of ${rows} values in the column are numbers`);
  const first = table.body.findIndex((r) => isNumberText(r[column] ?? ''));
  throw cellError(
    'DATA_CSV_MIXED_COLUMN',
    table,
    first,
    column,
    `${quote(cellText(table, first, column))} is a number, but ${rows - numbers} of ${rows} values in the column are ` +
      `not; declare the column with --column-type ${name}=categorical (or =numeric)`,
  );
}

/** Throws DATA_CSV_NOT_A_NUMBER at the first value of the column that is not a number. */
function checkNumeric(table: CsvTable, column: number, why: string): void {
  const bad = table.body.findIndex((r) => !isNumberText(r[column] ?? ''));
  if (bad < 0) return;
  const name = table.header[column] as string;
  throw cellError(
    'DATA_CSV_NOT_A_NUMBER',
    table,
    bad,
    column,
    `${quote(cellText(table, bad, column))} is not a number (${why}); fix the value, or pass --column-type ${name}=categorical if the column holds categories`,
  );
}

function checkNoEmptyCell(table: CsvTable, column: number): void {
  const empty = table.body.findIndex((r) => (r[column] ?? '').trim() === '');
  if (empty >= 0) throw cellError('DATA_CSV_EMPTY_CELL', table, empty, column, 'the cell is empty');
}

function cellText(table: CsvTable, row: number, column: number): string {
  return table.body[row]?.[column] ?? '';
}

function nonFiniteValue(v: string): number {
  if (/nan/i.test(v)) return Number.NaN;
  return v.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

const quote = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** An error about one cell: the message starts with `line L, column "name"` and the details carry both. */
export function cellError(code: string, table: CsvTable, row: number, column: number, reason: string): AicError {
  const line = table.lines[row] ?? row + 2;
  const name = table.header[column] ?? String(column + 1);
  return new AicError(code, `line ${line}, column "${name}": ${reason}`, {
    details: { line, column: name, columnNumber: column + 1, value: cellText(table, row, column).slice(0, 40) },
  });
}
