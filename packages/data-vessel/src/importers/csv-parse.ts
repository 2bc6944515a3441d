import { AicError } from '@aic/core';

function csvError(line: number, reason: string): AicError {
  return new AicError('DATA_CSV_INVALID', `line ${line}: ${reason}`, { details: { line, reason } });
}

/**
 * Parses CSV text (RFC 4180: comma separator, double-quoted fields with "" escapes, LF or CRLF line ends) into rows
 * of fields. Blank lines are skipped. Every row must have as many fields as the first. Throws DATA_CSV_INVALID
 * with the line number.
 */
export function parseCsv(text: string): string[][] {
  return parseCsvLines(text).rows;
}

/** {@link parseCsv}, plus the line of the file each row starts on (1-based; quoted fields may span lines). */
export function parseCsvLines(text: string): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') {
      if (rows.length > 0 && row.length !== rows[0]?.length) {
        throw csvError(line, `has ${row.length} fields, the header has ${rows[0]?.length}`);
      }
      rows.push(row);
      lines.push(rowLine);
    }
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      endRow();
      line++;
      rowLine = line;
    } else if (c !== '\r') field += c;
  }
  if (quoted) throw csvError(line, 'a quoted field is not closed');
  endRow();
  return { rows, lines };
}
