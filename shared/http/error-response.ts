import {
  BusyError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnprocessableError,
  ValidationError,
} from "../domain/errors.ts";
import { errorFields, log } from "../observability.ts";
import {
  MalformedBodyError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from "./errors.ts";
import { type HttpResponse, json } from "./responses.ts";

/**
 * Maps the domain's errors and the edge's own to HTTP, in one place. An unknown error is logged and
 * answered as a bare 500. Running out of time (middy's `TimeoutError` just before the function's
 * timeout, or an SDK call's) is an overload, not a bug: 503 with `Retry-After`, logged as a warning
 * and still counted as a server error by the route.
 */
export function toErrorResponse(error: unknown): HttpResponse {
  if (error instanceof ValidationError) return json(400, { error: "validation", issues: error.issues });
  if (error instanceof MalformedBodyError)
    return json(400, { error: "malformed-body", message: error.message });
  if (error instanceof UnauthorizedError) return json(401, { error: "unauthorized", message: error.message });
  if (error instanceof ForbiddenError) return json(403, { error: "forbidden", message: error.message });
  if (error instanceof NotFoundError) return json(404, { error: "not-found", message: error.message });
  if (error instanceof ConflictError) return json(409, { error: error.code, message: error.message });
  if (error instanceof PayloadTooLargeError) return json(413, { error: "too-large", message: error.message });
  if (error instanceof UnsupportedMediaTypeError) {
    return json(415, { error: "unsupported-media-type", message: error.message });
  }
  if (error instanceof UnprocessableError) return json(422, { error: error.code, message: error.message });
  if (error instanceof RateLimitedError) {
    return json(
      429,
      { error: "rate-limited", message: error.message, retryAfterSeconds: error.retryAfterSeconds },
      { "retry-after": String(error.retryAfterSeconds) },
    );
  }
  const busy = error instanceof BusyError ? error : timedOut(error) ? new BusyError() : undefined;
  if (busy) {
    if (!(error instanceof BusyError)) log().warn("timed out", { error: errorFields(error) });
    return json(
      503,
      { error: "busy", message: busy.message, retryAfterSeconds: busy.retryAfterSeconds },
      { "retry-after": String(busy.retryAfterSeconds) },
    );
  }
  log().error("unhandled error", { error: errorFields(error) });
  return json(500, {
    error: "internal",
    message: "Something went wrong on our side. Please try again later.",
  });
}

const timedOut = (error: unknown) => error instanceof Error && error.name === "TimeoutError";
