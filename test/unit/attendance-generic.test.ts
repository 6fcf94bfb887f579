import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { type AttendanceReport, parseAttendanceReport } from "../../shared/attendance/parse/index.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/attendance/${name}`, import.meta.url));
const utf8 = (...lines: string[]) => new TextEncoder().encode(lines.join("\n"));
const personWith = (report: AttendanceReport, email: string) => report.people.find((p) => p.email === email);

describe("a generic CSV, comma-separated, UTF-8 with BOM, English headers and minutes", () => {
  const report = parseAttendanceReport(fixture("generic-comma-en-bom.csv"));

  it("is read as generic, one row per line", () => {
    expect(report.format).toBe("generic");
    expect(report.rows).toBe(4);
  });

  it("adds up the minutes of rows with the same email in different letter case", () => {
    expect(personWith(report, "amal.testfixture@example.org")).toEqual({
      email: "amal.testfixture@example.org",
      name: "Amal Testfixture",
      minutes: 93,
      segments: [{ minutes: 33 }, { minutes: 60 }],
    });
  });

  it("leaves attended to the minutes when the file has no yes/no column", () => {
    expect(personWith(report, "marta.sample@example.com")).toEqual({
      email: "marta.sample@example.com",
      name: "Marta Sample",
      minutes: 0,
      segments: [{ minutes: 0 }],
    });
  });
});

describe("a generic CSV from French Excel: semicolons, Windows-1252, `Nom;Courriel;Présent`", () => {
  const report = parseAttendanceReport(fixture("generic-semicolon-fr-1252.csv"));

  it("decodes Windows-1252, curly apostrophe included, and keeps commas inside names", () => {
    expect(report.people.map((p) => p.name)).toEqual(["Lefèvre, Élodie", "N’Diaye Aïssatou", "Démo Karim"]);
  });

  it("reads the oui/non column as attended and lowercases the emails", () => {
    expect(report.format).toBe("generic");
    expect(report.people.map((p) => [p.email, p.attended])).toEqual([
      ["elodie.lefevre@example.fr", true],
      ["aissatou.ndiaye@example.sn", true],
      ["karim.demo@example.ma", false],
    ]);
  });
});

describe("other generic layouts", () => {
  it("detects tabs, joins Prénom and Nom, and reads French decimal minutes", () => {
    const report = parseAttendanceReport(
      utf8(
        "Prénom\tNom\tAdresse électronique\tDurée (minutes)",
        "Élodie\tLefèvre\telodie.lefevre@example.fr\t45,5",
      ),
    );

    expect(report.people).toEqual([
      {
        email: "elodie.lefevre@example.fr",
        name: "Élodie Lefèvre",
        minutes: 45.5,
        segments: [{ minutes: 45.5 }],
      },
    ]);
  });

  it("finds the header under a title line and reads x marks as attended", () => {
    const report = parseAttendanceReport(
      utf8(
        "Liste de présence - webinaire du 31 juillet",
        "",
        "Courriel,Participé",
        "a@example.org,x",
        "b@example.org,",
      ),
    );

    expect(report.people.map((p) => [p.email, p.attended])).toEqual([
      ["a@example.org", true],
      ["b@example.org", undefined],
    ]);
  });

  it("reads a Windows-1252 file without any hint but invalid UTF-8", () => {
    const bytes = iconv.encode("E-mail;Nom;Temps\r\nzoe@example.fr;Zoé Müller;12\r\n", "windows-1252");

    expect(parseAttendanceReport(bytes).people).toMatchObject([{ name: "Zoé Müller", minutes: 12 }]);
  });

  it.each([
    ["with", "\uFEFF"],
    ["without", ""],
  ])("reads UTF-16 LE %s BOM whatever the platform", (_, bom) => {
    const bytes = Buffer.from(`${bom}Email,Attended\r\nana@example.org,No\r\n`, "utf16le");

    expect(parseAttendanceReport(bytes).people).toMatchObject([
      { email: "ana@example.org", attended: false },
    ]);
  });
});
