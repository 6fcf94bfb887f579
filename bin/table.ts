/**
 * A plain-text table, columns padded to their widest cell, as organisers read them in a terminal
 * and paste them into a mail.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** A time in UTC written the way people read it ("2027-03-04 08:00 UTC"). */
export const utcMinute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
