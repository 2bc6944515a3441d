export { parseCsv } from './csv-parse.ts';
export { type CsvImportOptions, importCsv } from './tabular.ts';
