import type { Command } from "commander";
import { ApiError, CliError, type Issue } from "./errors.ts";
import { readSettings, type Settings, tokenHelp } from "./settings.ts";

/** A 2xx answer of the API; anything else is thrown as an `ApiError`. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface RequestOptions {
  body?: unknown;
  /** A file sent as it is (an attendance report), instead of a JSON body. */
  file?: Buffer;
  /** What the request does, in the organiser's words ("save event x"), to head its error messages. */
  action: string;
  /** More request headers, such as `If-Match`. */
  headers?: Record<string, string>;
}

/**
 * The small HTTP client of the commands: it sends the organiser token and turns every failure
 * (no server, a refused token, invalid fields) into a message the organiser can act on, so that
 * commands only deal with the successful answer.
 */
export interface ApiClient {
  send(method: string, path: string, options: RequestOptions): Promise<ApiResponse>;
}

/** Long enough for a cold Lambda, short enough that a lost network does not look like a hung command. */
const timeoutMs = 30_000;

/** The client for a command's action, configured by the global options and the environment. */
export async function connect(command: Command): Promise<ApiClient> {
  return createApiClient(await readSettings(command));
}

/** A client for given settings, apart from commander, for commands that talk to several APIs or for tests. */
export function createApiClient(settings: Settings): ApiClient {
  return {
    async send(method, path, { body, file, action, headers }) {
      const response = await fetchApi(settings, method, path, body, file, headers);
      const parsed = await readBody(response);
      if (!response.ok) throw toApiError(settings, action, response, parsed);
      return { status: response.status, body: parsed };
    },
  };
}

async function fetchApi(
  settings: Settings,
  method: string,
  path: string,
  body: unknown,
  file: Buffer | undefined,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...extraHeaders, accept: "application/json" };
  if (settings.token) headers.authorization = `Bearer ${settings.token.value}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (file) headers["content-type"] = "application/octet-stream";
  try {
    return await fetch(`${settings.apiUrl}${path}`, {
      method,
      headers,
      body: file ?? (body === undefined ? undefined : JSON.stringify(body)),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CliError(unreachable(settings.apiUrl, error));
  }
}

function unreachable(apiUrl: string, error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") {
    return `The Convene API at ${apiUrl} did not answer within ${timeoutMs / 1000} s. Try again later.`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && "code" in cause ? String(cause.code) : undefined;
  if (code === "ECONNREFUSED" && isLoopback(apiUrl)) {
    return `Cannot reach the Convene API at ${apiUrl}: is \`npm start\` running?`;
  }
  const reason = code ?? (cause instanceof Error ? cause.message : String(error));
  return `Cannot reach the Convene API at ${apiUrl} (${reason}): check --api or CONVENE_API_URL and the network.`;
}

function isLoopback(apiUrl: string): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(apiUrl).hostname);
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.headers.get("content-type")?.includes("json")) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(settings: Settings, action: string, response: Response, body: unknown): ApiError {
  const code = stringField(body, "error");
  const issues = issuesOf(body);
  if (response.status === 401) return new ApiError(refusedToken(settings), 401, code);
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  ${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
    return new ApiError([`Could not ${action}:`, ...lines].join("\n"), response.status, code, issues);
  }
  const reason =
    stringField(body, "message") ?? `the API answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(`Could not ${action}: ${reason}`, response.status, code);
}

function refusedToken({ apiUrl, token }: Settings): string {
  const first = token
    ? `The Convene API at ${apiUrl} refused the token from ${token.source}.`
    : `The Convene API at ${apiUrl} needs an organiser token, and none was found.`;
  return `${first}\n${tokenHelp}`;
}

function issuesOf(body: unknown): Issue[] {
  if (!isRecord(body) || !Array.isArray(body.issues)) return [];
  return body.issues.filter(isRecord).map((issue) => ({
    path: typeof issue.path === "string" ? issue.path : "",
    message: typeof issue.message === "string" ? issue.message : "is invalid",
  }));
}

function stringField(body: unknown, name: string): string | undefined {
  return isRecord(body) && typeof body[name] === "string" ? body[name] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
