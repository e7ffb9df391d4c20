// Checks of board-diagram rows, which tsshogi 2.2 reads leniently. It skips a CSA row that does
// not match its pattern and empties a KIF square with an unknown piece name, so a damaged row
// would silently give a wrong start position.

import { RecordError } from "./errors.js";

/** A CSA row as tsshogi reads it: "P1" and nine cells, " * " (or " *" at the end) or "+FU". */
const CSA_ROW = /^P[1-9](?: \* ?|[-+][A-Z]{2}){9}$/;
const CSA_ROW_START = /^P[1-9]/;
/** An empty ninth cell whose last padding character is not a space, as in "... *.". */
const CSA_ODD_PADDING = / \*[^ ]$/;
/** A KIF row: "|", nine cells of a colour mark (" " Black, "v" White) and a piece or "・", "|", a rank. */
const KIF_ROW = /^\|(?:[ v][・王玉飛龍竜角馬金銀全桂圭香杏歩と]){9}\|[一二三四五六七八九]/;
const KIF_ROW_START = /^\|/;

/**
 * Returns the CSA lines with board rows tidied for tsshogi: trailing spaces removed, and an
 * empty ninth cell padded with another character (some files end rows with ".") cut to " *".
 * Throws RecordError("invalid_line") for a row that is still invalid.
 */
export function normalizeCsaBoardRows(lines: readonly string[]): string[] {
  return lines.map((line, index) => {
    if (!CSA_ROW_START.test(line) || CSA_ROW.test(line)) return line;
    let row = line.trimEnd();
    if (CSA_ODD_PADDING.test(row)) row = row.slice(0, -1);
    if (CSA_ROW.test(row)) return row;
    throw invalidRow(index, line, "CSA", 'P1 to P9 followed by nine cells such as " * " or "-FU"');
  });
}

/** Throws RecordError("invalid_line") for a KIF or KI2 board row that tsshogi would misread. */
export function checkKifBoardRows(lines: readonly string[]): void {
  lines.forEach((line, index) => {
    if (KIF_ROW_START.test(line) && !KIF_ROW.test(line)) {
      throw invalidRow(index, line, "KIF", '"|", nine cells such as " ・", " 歩" or "v玉", then "|" and the rank');
    }
  });
}

function invalidRow(index: number, line: string, format: string, layout: string): RecordError {
  return new RecordError({
    code: "invalid_line",
    problem: `The ${format} board row is invalid`,
    hint: `Write the row as ${layout}`,
    line: index + 1,
    text: line,
  });
}
