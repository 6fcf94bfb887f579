import iconv from "iconv-lite";
import { UnreadableReportError } from "./errors.ts";

const signatures: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "the file is a PDF; download the report as CSV" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "the file is a workbook or an archive; save it as CSV" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "the file is an old Excel workbook; save it as CSV" },
];

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");

/**
 * The text of an uploaded report. Platforms write UTF-8 (with or without BOM) or UTF-16 with BOM
 * (Teams); a CSV saved by Excel on Windows is Windows-1252, recognised by not being valid UTF-8.
 * Windows-1252 goes through iconv-lite: Node 20's TextDecoder decodes that label as Latin-1, which
 * turns Excel's curly apostrophes and euro signs into control characters.
 */
export function decodeReport(bytes: Uint8Array): string {
  refuseKnownBinaries(bytes);
  const text = decodeText(bytes).replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new UnreadableReportError("the file is empty");
  if (looksBinary(text)) throw new UnreadableReportError("the file is not text");
  return text;
}

function refuseKnownBinaries(bytes: Uint8Array): void {
  for (const { bytes: signature, what } of signatures) {
    if (startsWith(bytes, signature)) throw new UnreadableReportError(what);
  }
}

function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, [0xff, 0xfe]) || looksUtf16Le(bytes)) return iconv.decode(buffer, "utf-16le");
  if (startsWith(bytes, [0xfe, 0xff])) return iconv.decode(buffer, "utf-16be");
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return lenientUtf8.decode(bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return iconv.decode(buffer, "windows-1252");
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** UTF-16 LE without BOM: ASCII text with a zero after every character. */
function looksUtf16Le(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 2048);
  let oddZeros = 0;
  let evenZeros = 0;
  sample.forEach((byte, index) => {
    if (byte !== 0) return;
    if (index % 2 === 1) oddZeros++;
    else evenZeros++;
  });
  return sample.length >= 4 && evenZeros === 0 && oddZeros >= sample.length / 4;
}

const textControls = new Set(["\t", "\n", "\r", "\f"]);

/** Text with NULs or more than 1% control characters is an image, an archive or the like. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65_536);
  let controls = 0;
  for (const character of sample) {
    const code = character.charCodeAt(0);
    if (code === 0) return true;
    if ((code < 0x20 && !textControls.has(character)) || (code >= 0x7f && code <= 0x9f)) controls++;
  }
  return controls > sample.length / 100;
}
