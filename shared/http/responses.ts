import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const baseHeaders = { "x-content-type-options": "nosniff", "cache-control": "no-store" };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { ...baseHeaders, "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * The pages' Content-Security-Policy. Pages are server-rendered: inline styles, no script but the
 * inline ones whose hashes are given (`shared/pages/local-time.ts`), images from the site itself
 * and from exactly the origins given (an event's logos and banner), nothing else.
 */
export function pagePolicy(
  allow: { imageOrigins?: readonly string[]; scriptHashes?: readonly string[] } = {},
) {
  const { imageOrigins = [], scriptHashes = [] } = allow;
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    ["img-src 'self' data:", ...imageOrigins].join(" "),
    ...(scriptHashes.length > 0 ? [["script-src", ...scriptHashes].join(" ")] : []),
    "form-action 'self'",
  ].join("; ");
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: {
      ...baseHeaders,
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": pagePolicy(),
      ...headers,
    },
    body,
  };
}

export function text(
  statusCode: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return { statusCode, headers: { ...baseHeaders, "content-type": contentType, ...headers }, body };
}
