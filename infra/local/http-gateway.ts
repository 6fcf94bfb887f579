import { randomUUID, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { listen } from "./ports.ts";

export type HttpHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

export interface LocalRoute {
  method: string;
  path: string;
  auth: "public" | "admin";
  handler: HttpHandler;
}

export interface HttpGatewayOptions {
  port: number;
  host?: string;
  routes: readonly LocalRoute[];
  adminToken: string;
  /** The organiser console, served as static files at `/console/` beside the API, as on AWS. */
  console?: ConsoleSite;
  log?: (line: string) => void;
}

export interface ConsoleSite {
  /** The built app (`console/dist`). */
  dir: string;
  /** What `/console/config.json` answers: how the app signs in and where the API is. */
  config: Record<string, unknown>;
}

export interface HttpGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** API Gateway refuses larger payloads before any function runs; so does the local gateway. */
const maxPayloadBytes = 10 * 1024 * 1024;

/** Bodies API Gateway passes as text; anything else reaches the function base64-encoded. */
const textTypes = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json))/;

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  names: string[];
  literalSegments: number;
}

/**
 * A local API Gateway HTTP API: turns requests into payload-format-2.0 events for the same
 * handlers that run on Lambda, and guards `/admin/*` routes with a bearer token where AWS uses
 * the Cognito JWT authorizer.
 */
export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const log = options.log ?? ((line: string) => console.log(line));
  // Most specific first, as API Gateway chooses: literal segments beat path variables.
  const routes = options.routes.map(compile).sort((a, b) => b.literalSegments - a.literalSegments);

  // Node's own limit would answer a bare 431 first; the gateway's check below answers as API Gateway.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    serve(request, response).catch((error) => {
      log(
        `[http] ${request.method} ${request.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!response.headersSent) send(response, 500, { message: "Internal Server Error" });
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse) {
    const refusal = refusedRequest(request);
    if (refusal) return send(response, refusal.status, refusal.body);
    const url = requestUrl(request);
    const method = request.method ?? "GET";
    if (
      options.console &&
      (url.pathname === consoleBase.slice(0, -1) || url.pathname.startsWith(consoleBase))
    ) {
      return serveConsole(options.console, method, url.pathname, response);
    }
    const match = findRoute(routes, method, url.pathname);
    if (match === "malformed") return send(response, 400, malformedPath);
    if (!match)
      return send(response, 404, { error: "not-found", message: `no route for ${method} ${url.pathname}` });
    if (match.route.auth === "admin" && !hasAdminToken(request, options.adminToken)) {
      return send(response, 401, {
        error: "unauthorized",
        message: "send Authorization: Bearer <admin token>",
      });
    }
    const body = await readBody(request);
    if (body === "too-large") return send(response, 413, { message: "Request Entity Too Large" });
    const event = toApiGatewayEvent(request, url, match, body);
    writeResult(response, await match.route.handler(event));
  }

  const port = await listen(server, options.port, options.host ?? "127.0.0.1", "The API");
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const consoleBase = "/console/";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
  ".woff2": "font/woff2",
};

/**
 * The console's headers: no referrer ever leaves it (the sign-in link carries the token in its
 * fragment, which browsers never send, and nothing else should leak either), and its own origin
 * only, except inline styles, which the sandboxed preview of a mail needs.
 */
const consoleHeaders = {
  "content-security-policy":
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/**
 * The single-page app: its files as built, `config.json` from the stack's settings, and
 * `index.html` for any other path without an extension, so that a reloaded or shared deep link
 * (`/console/events/x/mailings`) opens the app, which then routes by itself.
 */
async function serveConsole(site: ConsoleSite, method: string, pathname: string, response: ServerResponse) {
  if (method !== "GET" && method !== "HEAD") {
    return send(response, 405, { error: "method-not-allowed", message: "the console is read-only" });
  }
  if (pathname === consoleBase.slice(0, -1)) {
    response.writeHead(308, { location: consoleBase });
    return void response.end();
  }
  const relative = decodeURIComponent(pathname.slice(consoleBase.length));
  if (relative === "config.json") {
    response.writeHead(200, {
      ...consoleHeaders,
      "content-type": contentTypes[".json"],
      "cache-control": "no-cache",
    });
    return void response.end(method === "HEAD" ? undefined : JSON.stringify(site.config));
  }
  const file = normalize(join(site.dir, relative));
  if (!file.startsWith(site.dir + sep) && file !== site.dir) {
    return send(response, 404, { error: "not-found", message: "no such file" });
  }
  const isAsset = extname(relative) !== "";
  const content = await readFile(isAsset ? file : join(site.dir, "index.html")).catch(() => undefined);
  if (!content) {
    return send(response, 404, {
      error: "not-found",
      message: isAsset ? "no such file" : "the console is not built: run `npm run console:build`",
    });
  }
  response.writeHead(200, {
    ...consoleHeaders,
    "content-type": contentTypes[isAsset ? extname(relative) : ".html"] ?? "application/octet-stream",
    // Vite names built assets by their content hash; the page itself must always be revalidated.
    "cache-control": relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  });
  response.end(method === "HEAD" ? undefined : content);
}

function compile(route: LocalRoute): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split("/").filter(Boolean);
  const source = segments
    .map((segment) => {
      const variable = /^\{(\w+)(\+?)\}$/.exec(segment);
      if (!variable) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      names.push(variable[1] as string);
      return variable[2] ? "/(.+)" : "/([^/]+)";
    })
    .join("");
  const literalSegments = segments.filter((segment) => !segment.startsWith("{")).length;
  return { ...route, pattern: new RegExp(`^${source || "/"}$`), names, literalSegments };
}

function findRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const values = route.names.map((_, index) => decodePathParameter(found[index + 1] ?? ""));
    if (values.includes(undefined)) return "malformed";
    const params = Object.fromEntries(route.names.map((name, index) => [name, values[index] as string]));
    return { route, params };
  }
  return undefined;
}

/**
 * API Gateway's quota on what precedes the body: the request line and header values together,
 * 10,240 bytes. Past it, it answers without calling any function; so does the local gateway.
 */
const maxRequestHeadBytes = 10_240;

const malformedPath = { error: "malformed-path", message: "the path has a malformed percent-encoding" };

/** What API Gateway refuses before routing: a request target that is not a path, an oversized head. */
function refusedRequest(request: IncomingMessage): { status: number; body: unknown } | undefined {
  if (!(request.url ?? "").startsWith("/")) return { status: 400, body: malformedPath };
  const headBytes =
    Buffer.byteLength(`${request.method} ${request.url}`) +
    request.rawHeaders.reduce((total, part) => total + Buffer.byteLength(part), 0);
  if (headBytes > maxRequestHeadBytes) {
    return {
      status: 413,
      body: {
        error: "too-large",
        message: `the request line and headers exceed ${maxRequestHeadBytes} bytes`,
      },
    };
  }
  return undefined;
}

/**
 * The request's URL, its path taken as sent. Resolving `request.url` against a base would read
 * `//x` as a host name (a protocol-relative URL) and route `//events/a` as `/a`.
 */
const requestUrl = (request: IncomingMessage) => new URL(`http://localhost${request.url ?? "/"}`);

/**
 * A path parameter decoded as API Gateway passes it to functions: percent-escapes decoded as UTF-8
 * (invalid sequences become U+FFFD, never an exception), undefined when a `%` is not followed by
 * two hex digits, which API Gateway refuses with a 400.
 */
function decodePathParameter(raw: string): string | undefined {
  if (/%(?![0-9a-f]{2})/i.test(raw)) return undefined;
  const bytes = Buffer.from(
    raw.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1",
  );
  return new TextDecoder("utf-8").decode(bytes);
}

function hasAdminToken(request: IncomingMessage, adminToken: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "");
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxPayloadBytes) return "too-large";
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toApiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  match: { route: CompiledRoute; params: Record<string, string> },
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== "cookie")
      headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  // As API Gateway adds them, so a function can tell the URL it was called at.
  headers["x-forwarded-proto"] = "http";
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const isText = textTypes.test(headers["content-type"] ?? "");
  const now = new Date();
  const method = request.method ?? "GET";
  const routeKey = `${method} ${match.route.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: request.headers.cookie?.split(/;\s*/),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(match.params).length ? match.params : undefined,
    body: body.length ? body.toString(isText ? "utf8" : "base64") : undefined,
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2) {
  if (typeof result === "string") return send(response, 200, result);
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers["set-cookie"] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8"),
  );
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
