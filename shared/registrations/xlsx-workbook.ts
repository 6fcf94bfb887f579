import { crc32, deflateRawSync } from "node:zlib";

/** What a cell holds: each is written with its own type, so a spreadsheet sorts and sums it. */
export type CellValue = string | number | boolean | Date | null | undefined;

export interface Sheet {
  /** At most 31 characters, without `[]:*?/\` (Excel's rules); others are replaced. */
  name: string;
  /** The header row: bold, frozen, with a filter on every column. */
  header: readonly string[];
  rows: readonly (readonly CellValue[])[];
  /** Column widths in characters, by position; 12 by default. */
  widths?: readonly number[];
}

/**
 * An .xlsx workbook of one sheet, written with Node's zlib and nothing else: the SpreadsheetML
 * parts Excel, LibreOffice and Numbers need (content types, workbook, sheet, styles) in a ZIP.
 * It replaces exceljs (~1 MB in the function bundle, with its zip, stream and reader
 * dependencies) for the one thing Convene does with it; tests read the result with exceljs.
 * - Text is an inline string, never a formula: a registrant named `=HYPERLINK(…)` stays text.
 * - Numbers and booleans are typed cells; dates are serial numbers (UTC) shown as
 *   `yyyy-mm-dd hh:mm`.
 * - Characters XML cannot hold (control characters other than tab and line breaks) are dropped.
 */
export function xlsxWorkbook(sheet: Sheet): Buffer {
  const name = sheet.name.replace(/[[\]:*?/\\]/g, "-").slice(0, 31) || "Sheet1";
  const lastColumn = columnName(Math.max(1, sheet.header.length) - 1);
  return zip([
    ["[Content_Types].xml", contentTypes],
    ["_rels/.rels", packageRels],
    ["xl/workbook.xml", workbookXml(name, lastColumn)],
    ["xl/_rels/workbook.xml.rels", workbookRels],
    ["xl/styles.xml", stylesXml],
    ["xl/worksheets/sheet1.xml", worksheetXml(sheet, lastColumn)],
  ]);
}

const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const officeDocument = "application/vnd.openxmlformats-officedocument";

const contentTypes = `${xmlDeclaration}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${officeDocument}.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${officeDocument}.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="${officeDocument}.spreadsheetml.styles+xml"/></Types>`;

const packageRels = `${xmlDeclaration}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const workbookRels = `${xmlDeclaration}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relationships}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${relationships}/styles" Target="styles.xml"/></Relationships>`;

/** Cell formats: 0 plain, 1 bold (the header), 2 a date and time. */
const style = { plain: 0, bold: 1, dateTime: 2 } as const;
const stylesXml = `${xmlDeclaration}<styleSheet xmlns="${main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function workbookXml(name: string, lastColumn: string): string {
  // The filter's range, as Excel itself names it; a quote in a sheet name is doubled.
  const range = `'${name.replaceAll("'", "''")}'!$A$1:$${lastColumn}$1`;
  return `${xmlDeclaration}<workbook xmlns="${main}" xmlns:r="${relationships}"><sheets><sheet name="${escapeXml(name)}" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${escapeXml(range)}</definedName></definedNames></workbook>`;
}

function worksheetXml(sheet: Sheet, lastColumn: string): string {
  const widths = sheet.header
    .map((_, index) => {
      const width = sheet.widths?.[index] ?? 12;
      return `<col min="${index + 1}" max="${index + 1}" width="${width}" customWidth="1"/>`;
    })
    .join("");
  const rows = [sheet.header, ...sheet.rows].map((values, rowIndex) => {
    const cells = values.map((value, columnIndex) =>
      cellXml(`${columnName(columnIndex)}${rowIndex + 1}`, value, rowIndex === 0),
    );
    return `<row r="${rowIndex + 1}">${cells.join("")}</row>`;
  });
  return `${xmlDeclaration}<worksheet xmlns="${main}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>${widths ? `<cols>${widths}</cols>` : ""}<sheetData>${rows.join("")}</sheetData><autoFilter ref="A1:${lastColumn}1"/></worksheet>`;
}

/** Days from Excel's epoch (1899-12-30) to the Unix epoch. */
const unixEpochSerial = 25_569;

function cellXml(ref: string, value: CellValue, header: boolean): string {
  if (value === null || value === undefined) return "";
  const styled = header ? ` s="${style.bold}"` : "";
  if (typeof value === "boolean") return `<c r="${ref}" t="b"${styled}><v>${value ? 1 : 0}</v></c>`;
  if (typeof value === "number") {
    return Number.isFinite(value) ? `<c r="${ref}"${styled}><v>${value}</v></c>` : "";
  }
  if (value instanceof Date) {
    const serial = value.getTime() / 86_400_000 + unixEpochSerial;
    return Number.isFinite(serial) ? `<c r="${ref}" s="${style.dateTime}"><v>${serial}</v></c>` : "";
  }
  return `<c r="${ref}" t="inlineStr"${styled}><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
}

/** A, B, …, Z, AA, AB, … for the 0-based column `index`. */
function columnName(index: number): string {
  let name = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  }
  return name;
}

function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what XML 1.0 cannot hold
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}

/**
 * A ZIP archive of deflated files (APPNOTE 6.3: local headers, central directory, end record),
 * which is all an .xlsx container is. Dates are left at the format's epoch, 1980-01-01.
 */
function zip(files: readonly (readonly [string, string])[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [path, text] of files) {
    const name = Buffer.from(path, "utf8");
    const data = Buffer.from(text, "utf8");
    const deflated = deflateRawSync(data);
    const checksum = crc32(data);
    // Fields common to both headers: version needed, flags (UTF-8 names), method 8 (deflate),
    // time, date, CRC-32, sizes, name length, extra length.
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0);
    common.writeUInt16LE(0x0800, 2);
    common.writeUInt16LE(8, 4);
    common.writeUInt16LE(0, 6);
    common.writeUInt16LE(0x21, 8);
    common.writeUInt32LE(checksum, 10);
    common.writeUInt32LE(deflated.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(name.length, 22);
    common.writeUInt16LE(0, 24);
    const local = Buffer.concat([u32(0x04034b50), common, name, deflated]);
    // Central entry: signature, version made by, the common fields, comment length, disk,
    // internal and external attributes, and where the local header starts.
    const tail = Buffer.alloc(14);
    tail.writeUInt32LE(offset, 10);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, tail, name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const u32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value, 0);
  return buffer;
};

const u16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16LE(value, 0);
  return buffer;
};
