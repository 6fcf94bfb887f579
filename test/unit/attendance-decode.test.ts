import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeReport } from "../../shared/attendance/parse/decode.ts";

/** The bytes Windows-1252 defines from 0x20 to 0xFF (a lone 0x80 is invalid UTF-8: read as Windows-1252). */
const undefinedIn1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
const everyHighByte = Array.from({ length: 0x100 - 0x20 }, (_, index) => 0x20 + index).filter(
  (byte) => !undefinedIn1252.has(byte),
);

describe("decoding a report with the runtime's decoders only", () => {
  it("decodes each Windows-1252 byte as iconv-lite does: euro, curly quotes and dashes, not controls", () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode("Name\r\n"), ...everyHighByte]);

    const text = decodeReport(bytes);

    expect(text).toBe(iconv.decode(Buffer.from(bytes), "windows-1252"));
    expect(text).toContain("€‚ƒ„…†‡ˆ‰Š‹Œ");
    expect(text).toContain("‘’“”•–—˜™š›œ");
  });

  it("decodes UTF-16 big-endian with its BOM", () => {
    const bytes = iconv.encode("\uFEFFEmail,Nom\r\nzoe@example.fr,Zoé Œuvre\r\n", "utf-16be");

    expect(decodeReport(bytes)).toBe("Email,Nom\r\nzoe@example.fr,Zoé Œuvre\r\n");
  });
});
