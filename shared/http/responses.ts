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

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: {
      ...baseHeaders,
      "content-type": "text/html; charset=utf-8",
      // Pages are server-rendered and need no script; inline styles only.
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'",
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
