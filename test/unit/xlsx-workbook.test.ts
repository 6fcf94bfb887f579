import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { xlsxWorkbook } from "../../shared/registrations/xlsx-workbook.ts";

async function read(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const [sheet] = workbook.worksheets;
  if (!sheet) throw new Error("the workbook has no sheet");
  return sheet;
}

describe("an .xlsx workbook written without a spreadsheet library", () => {
  it("holds typed cells a spreadsheet reads back: text, numbers, booleans, dates, blanks", async () => {
    const createdAt = new Date("2026-03-04T09:15:00Z");
    const sheet = await read(
      xlsxWorkbook({
        name: "mc2cm-webinar-4",
        header: ["email", "minutes", "attended", "createdAt", "organisation"],
        rows: [
          ["zoé@example.org", 93, true, createdAt, null],
          ['=HYPERLINK("http://x")', 0, false, createdAt, "Ville & <Gênes>\u0007"],
        ],
      }),
    );

    expect(sheet.name).toBe("mc2cm-webinar-4");
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      "email",
      "minutes",
      "attended",
      "createdAt",
      "organisation",
    ]);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(["zoé@example.org", 93, true, createdAt]);
    expect(sheet.getCell("B3").value).toBe(0);
    expect(sheet.getCell("C3").value).toBe(false);
    expect(sheet.getCell("A3").value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getCell("A3").formula).toBeUndefined();
    expect(sheet.getCell("E3").value).toBe("Ville & <Gênes>");
    expect(sheet.getCell("D2").numFmt).toBe("yyyy-mm-dd hh:mm");
  });

  it("freezes and bolds the header row and puts a filter on every column", async () => {
    const header = Array.from({ length: 28 }, (_, index) => `column ${index + 1}`);
    const sheet = await read(xlsxWorkbook({ name: "a/b:c", header, rows: [] }));

    expect(sheet.name).toBe("a-b-c");
    expect(sheet.getCell("AB1").value).toBe("column 28");
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe("A1:AB1");
  });
});
