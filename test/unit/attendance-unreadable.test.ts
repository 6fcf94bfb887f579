import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAttendanceReport, UnreadableReportError } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));

function failureOf(bytes: Uint8Array): UnreadableReportError {
  try {
    parseAttendanceReport(bytes);
  } catch (error) {
    if (error instanceof UnreadableReportError) return error;
    throw error;
  }
  throw new Error("the report was read");
}

describe("files that are not attendance reports", () => {
  it("refuse a PDF, asking for the CSV download", () => {
    const error = failureOf(fixture("attendance-report.pdf"));

    expect(error.name).toBe("UnreadableReportError");
    expect(error.message).toMatch(/PDF.*CSV/);
  });

  it("refuse an empty file and a file of blank lines", () => {
    expect(failureOf(new Uint8Array()).missing).toBe("the file is empty");
    expect(failureOf(new TextEncoder().encode("\r\n \r\n")).missing).toBe("the file is empty");
  });

  it("refuse a binary file", () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);

    expect(failureOf(png).missing).toBe("the file is not text");
  });

  it("refuse an Excel workbook, asking for CSV", () => {
    const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0x06, 0, 0x08, 0]);

    expect(failureOf(xlsx).message).toMatch(/save it as CSV/);
  });

  it("refuse a table without an email column, naming the columns looked for and the formats understood", () => {
    const error = failureOf(fixture("no-email-column.csv"));

    expect(error.message).toContain(
      "no column with an email address (looked for: Email, E-mail, Email address, E-mail address, Adresse e-mail, Adresse électronique, Courriel)",
    );
    expect(error.message).toContain("Zoom webinar attendee reports");
    expect(error.message).toContain("Microsoft Teams attendance reports");
  });

  it("refuse a Zoom webinar report that lost its attendee table", () => {
    const bytes = new TextEncoder().encode(
      'Attendee Report,\nReport Generated:,"Jul 31, 2019 12:41 PM"\nHost Details,\nAttended,User Name,Email\nYes,Host,host@example.org\n',
    );

    expect(failureOf(bytes).missing).toMatch(/Zoom webinar report without an attendee table/);
  });
});
