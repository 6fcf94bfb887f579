import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import * as z from "zod";
import { ValidationError } from "../domain/errors.ts";
import { correlationIdsOf, count, log, withInvocation } from "../observability.ts";
import { toErrorResponse } from "./error-response.ts";
import { MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError } from "./errors.ts";
import type { HttpResponse } from "./responses.ts";

/** Body encodings a route may accept. Form bodies arrive from the HTML pages, which work without JavaScript. */
const mediaTypes = { json: "application/json", form: "application/x-www-form-urlencoded" } as const;
type BodyKind = keyof typeof mediaTypes;

export interface RouteInput<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  /** Which encoding the body came in: pages answer a form post with HTML, scripts a JSON post with JSON. */
  bodyKind: BodyKind | undefined;
  headers: Record<string, string | undefined>;
  /** The body as sent, for routes that take a file (`upload` in the spec). */
  upload: { bytes: Buffer; mediaType: string } | undefined;
  event: APIGatewayProxyEventV2;
}

export interface RouteSpec<
  ParamsSchema extends z.ZodType,
  QuerySchema extends z.ZodType,
  BodySchema extends z.ZodType,
> {
  params?: ParamsSchema;
  query?: QuerySchema;
  /** `optional`: a request with no body at all is let through as `{}` (actions that may take one). */
  body?: { schema: BodySchema; limitBytes: number; accepts: readonly BodyKind[]; optional?: boolean };
  /** A file sent as the body, kept as bytes: its size and media type are checked, nothing else. */
  upload?: { limitBytes: number; mediaTypes: readonly string[] };
  handle(
    input: RouteInput<z.infer<ParamsSchema>, z.infer<QuerySchema>, z.infer<BodySchema>>,
  ): Promise<HttpResponse>;
  /** Pages that people open in a browser answer errors as HTML; given the JSON error response. */
  renderError?(response: HttpResponse, event: APIGatewayProxyEventV2): HttpResponse;
}

const none = z.object({}).passthrough();

/**
 * Builds a Lambda handler for one HTTP route: headers normalized, path, query and body validated
 * with zod at the edge, errors mapped to the shared shape. The route's `handle` only sees typed,
 * valid input, so a use case never deals with raw HTTP.
 */
export function httpRoute<
  ParamsSchema extends z.ZodType = typeof none,
  QuerySchema extends z.ZodType = typeof none,
  BodySchema extends z.ZodType = typeof none,
>(spec: RouteSpec<ParamsSchema, QuerySchema, BodySchema>) {
  const run = async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
    const params = parse((spec.params ?? none) as ParamsSchema, event.pathParameters ?? {});
    const query = parse((spec.query ?? none) as QuerySchema, event.queryStringParameters ?? {});
    const { body, kind } = spec.body ? readBody(event, spec.body) : { body: {}, kind: undefined };
    const upload = spec.upload ? readUpload(event, spec.upload) : undefined;
    return spec.handle({
      upload,
      params,
      query,
      body: parse((spec.body?.schema ?? none) as BodySchema, body),
      bodyKind: kind,
      headers: event.headers,
      event,
    });
  };
  const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(httpHeaderNormalizer())
    .use({
      onError: (request) => {
        const response = toErrorResponse(request.error);
        request.response = spec.renderError ? spec.renderError(response, request.event) : response;
      },
    })
    .handler(run);
  return (event: APIGatewayProxyEventV2, context: Context) => withRequestLog(event, context, handler);
}

/**
 * One JSON line per request, with the request id and the ids in its path (never its query string,
 * which carries tokens, nor its body, which carries personal data).
 */
async function withRequestLog(
  event: APIGatewayProxyEventV2,
  context: Context,
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const keys = {
    requestId: event.requestContext?.requestId ?? "",
    ...correlationIdsOf(event.pathParameters),
  };
  return withInvocation(keys, context, async () => {
    const started = Date.now();
    const response = await handler(event, context);
    log().info("request", {
      method: event.requestContext?.http?.method,
      route: event.routeKey,
      path: event.rawPath,
      status: response.statusCode,
      durationMs: Date.now() - started,
    });
    // A dimension must not be empty (Powertools drops it, with a warning): an invocation without a route key says so.
    if (response.statusCode >= 500) count("ServerError", { route: event.routeKey || "none" });
    return response;
  });
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(result.error);
  return result.data;
}

const mediaTypeOf = (event: APIGatewayProxyEventV2) =>
  (event.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** Size first (a 413 must not depend on the body being valid), then media type, then decoding. */
function readBody(
  event: APIGatewayProxyEventV2,
  options: { limitBytes: number; accepts: readonly BodyKind[]; optional?: boolean },
): { body: unknown; kind: BodyKind | undefined } {
  const raw = rawBody(event);
  if (options.optional && raw.byteLength === 0) return { body: {}, kind: undefined };
  if (raw.byteLength > options.limitBytes) throw new PayloadTooLargeError(options.limitBytes);
  const mediaType = mediaTypeOf(event);
  const kind = options.accepts.find((accepted) => mediaTypes[accepted] === mediaType);
  if (!kind) throw new UnsupportedMediaTypeError(options.accepts.map((accepted) => mediaTypes[accepted]));
  const text = raw.toString("utf8");
  if (kind === "form") return { body: Object.fromEntries(new URLSearchParams(text)), kind };
  try {
    return { body: JSON.parse(text), kind };
  } catch (error) {
    throw new MalformedBodyError("the body is not valid JSON", { cause: error });
  }
}

function readUpload(
  event: APIGatewayProxyEventV2,
  options: { limitBytes: number; mediaTypes: readonly string[] },
) {
  const bytes = rawBody(event);
  if (bytes.byteLength > options.limitBytes) throw new PayloadTooLargeError(options.limitBytes);
  const mediaType = mediaTypeOf(event);
  if (!options.mediaTypes.includes(mediaType)) throw new UnsupportedMediaTypeError(options.mediaTypes);
  // A text/* body reaches the function as text, decoded as UTF-8 on the way (API Gateway does so,
  // as the local gateway): bytes that were not UTF-8 (a Windows-1252 or UTF-16 file) are U+FFFD
  // by now. Refused rather than read wrong; a body passed as bytes keeps them.
  if (mediaType.startsWith("text/") && !event.isBase64Encoded && event.body?.includes("\uFFFD"))
    throw new LostBytesError(mediaType, options.mediaTypes);
  return { bytes, mediaType };
}

/** A 415 saying why, and which of the route's media types carry the file as bytes. */
class LostBytesError extends UnsupportedMediaTypeError {
  constructor(mediaType: string, accepted: readonly string[]) {
    const asBytes = accepted.filter(
      (type) => type === "application/octet-stream" || type === "multipart/form-data",
    );
    super(asBytes);
    this.message = `the file is not UTF-8 text (Windows-1252 or UTF-16, say), and a ${mediaType} body loses such characters on its way to the server: send the file as ${asBytes.join(" or ")}`;
  }
}

export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
}
