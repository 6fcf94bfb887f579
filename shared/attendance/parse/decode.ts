import { UnreadableReportError } from "./errors.ts";

const signatures: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "the file is a PDF; download the report as CSV" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "the file is a workbook or an archive; save it as CSV" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: "the file is an old Excel workbook; save it as CSV" },
];

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lenientUtf8 = new TextDecoder("utf-8");
const utf16le = new TextDecoder("utf-16le");
const utf16be = new TextDecoder("utf-16be");
const latin1 = new TextDecoder("latin1");

/**
 * What Windows-1252 puts at 0x80–0x9F (the WHATWG Encoding Standard's index), where Latin-1 has
 * control characters; the five bytes it leaves undefined stay as Latin-1 decodes them. Node's
 * TextDecoder decodes the `windows-1252` label as plain Latin-1 since 20.18.3 / 22.13.0
 * (nodejs/node#56542, #60888), so these 27 are mapped here rather than trusted to the runtime.
 */
const windows1252High: Readonly<Record<string, string>> = Object.fromEntries(
  [..."€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ"].map((character, index) => [
    String.fromCharCode(0x80 + index),
    character,
  ]),
);

/** Windows-1252 with Node's own decoders: Latin-1, then the 0x80–0x9F range mapped. */
const decodeWindows1252 = (bytes: Uint8Array): string =>
  latin1.decode(bytes).replace(/[\u0080-\u009f]/g, (control) => windows1252High[control] ?? control);

/**
 * The text of an uploaded report. Platforms write UTF-8 (with or without BOM) or UTF-16 with BOM
 * (Teams); a CSV saved by Excel on Windows is Windows-1252, recognised by not being valid UTF-8.
 * All are decoded with the runtime's TextDecoder (no decoding library in the bundle).
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
  if (startsWith(bytes, [0xff, 0xfe]) || looksUtf16Le(bytes)) return utf16le.decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return utf16be.decode(bytes);
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return lenientUtf8.decode(bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
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
