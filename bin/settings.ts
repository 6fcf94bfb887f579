import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { CliError, describeFsError, isNodeError } from "./errors.ts";

/** The URL of `npm start`, so that a newcomer's first command needs no setting. */
export const defaultApiUrl = "http://127.0.0.1:3000";

/** The file in which `npm start` writes the URL of its API, beside its admin token. */
export const apiUrlFileName = "api-url";

/** The options every command accepts, declared once on the program. */
export interface GlobalOptions {
  /** From --api, or CONVENE_API_URL (commander reads it). */
  api?: string;
  token?: string;
}

/** A token and where it was found: a refused token is only fixable if the message says where it came from. */
export interface Token {
  value: string;
  source: string;
}

/** Everything the API client needs, resolved once per command. */
export interface Settings {
  apiUrl: string;
  token: Token | undefined;
}

/**
 * What a command talks to and with which token: from the global options, the environment and the
 * local token file, read only when a command runs, so that `--help` works without any of them.
 */
export async function readSettings(
  command: Command,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Settings> {
  const options = command.optsWithGlobals<GlobalOptions>();
  return { apiUrl: await findApiUrl(options, env), token: await findToken(options, env) };
}

/**
 * The API to call, the first found: --api or CONVENE_API_URL; else the local runtime on
 * CONVENE_PORT; else the one whose admin token is read (`npm start` writes its URL beside it, so
 * that a stack started on another port or data dir is the one called with its own token); else
 * port 3000.
 */
async function findApiUrl(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<string> {
  if (options.api) return apiUrlOf(options.api, "--api or CONVENE_API_URL");
  if (env.CONVENE_PORT) return apiUrlOf(`http://127.0.0.1:${env.CONVENE_PORT}`, "CONVENE_PORT");
  const file = join(localDataDir(env), apiUrlFileName);
  const written = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  return written ? apiUrlOf(written, file) : defaultApiUrl;
}

function apiUrlOf(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`The API address "${text}" (from ${source}) is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`The API address "${text}" (from ${source}) must start with http(s)://.`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * The first token found, in the order of the help: an organiser's own token (Cognito on AWS)
 * wins over the local admin token, so that pointing `--api` at AWS never sends the local one by
 * accident when both are set.
 */
async function findToken(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Token | undefined> {
  if (options.token) return { value: options.token, source: "the --token option" };
  if (env.CONVENE_TOKEN) return { value: env.CONVENE_TOKEN, source: "CONVENE_TOKEN" };
  if (env.CONVENE_ADMIN_TOKEN) return { value: env.CONVENE_ADMIN_TOKEN, source: "CONVENE_ADMIN_TOKEN" };
  return readTokenFile(localTokenFile(env));
}

/**
 * Where `npm start` keeps the admin token it makes on first start. `npm start` runs in the project
 * folder, whereas `npx convene` keeps the folder it was typed in, so the file is looked for from
 * the project folder: the command then works from any of its subfolders.
 */
function localTokenFile(env: NodeJS.ProcessEnv): string {
  return join(localDataDir(env), "admin-token");
}

function localDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(projectFolder, env.CONVENE_DATA_DIR || ".convene");
}

const projectFolder = fileURLToPath(new URL("..", import.meta.url));

async function readTokenFile(file: string): Promise<Token | undefined> {
  try {
    const value = (await readFile(file, "utf8")).trim();
    return value ? { value, source: `the token file ${file}` } : undefined;
  } catch (error) {
    if (isNodeError(error) && error.code === "ENOENT") return undefined;
    throw new CliError(`Cannot read the token file ${file}: ${describeFsError(error)}.`);
  }
}

/** Where a token comes from, for the program's help and for the message of a refused token. */
export const tokenHelp = `Where the token comes from, the first one found wins:
  --token <token> or CONVENE_TOKEN  on AWS: the ID or access token of an organiser signed in with
                                    Cognito (it expires after an hour: sign in again)
  CONVENE_ADMIN_TOKEN               the admin token of the local runtime
  .convene/admin-token              the file \`npm start\` writes on first start in the project
                                    folder (in CONVENE_DATA_DIR instead, if that is set)`;
