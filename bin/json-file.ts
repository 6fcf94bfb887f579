import { readFile } from "node:fs/promises";
import { CliError, describeFsError } from "./errors.ts";

/**
 * A JSON file an organiser edited by hand, or a clear message why it cannot be used: the line and
 * column of a syntax error, since "position 1234" means nothing in an editor. A byte order mark
 * (which some Windows editors add) is accepted.
 */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${describeFsError(error)}.`);
  }
  if (!text.trim()) throw new CliError(`${path} is empty.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON${locate(text, error)}: ${syntaxMessage(error)}.`);
  }
}

/** A JSON object read by `readJsonFile`: the shape of every body the API accepts. */
export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  const value = await readJsonFile(path);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`${path} must contain one JSON object (${what}), in braces { … }.`);
  }
  return value as Record<string, unknown>;
}

function locate(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined && !message.includes("end of JSON")) return "";
  const lines = text.slice(0, position === undefined ? undefined : Number(position)).split("\n");
  return ` (line ${lines.length}, column ${(lines.at(-1) ?? "").length + 1})`;
}

function syntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/ after JSON at position \d+.*$/s, " after the end");
}
