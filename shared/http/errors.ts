/**
 * The errors only the HTTP edge can meet: how a request arrived, not what it asks. The domain's
 * own errors live in `shared/domain/errors.ts`; `toErrorResponse` maps both to HTTP in one place.
 */
export class MalformedBodyError extends Error {
  override name = "MalformedBodyError";
}

export class UnauthorizedError extends Error {
  override name = "UnauthorizedError";
}

export class PayloadTooLargeError extends Error {
  override name = "PayloadTooLargeError";
  constructor(readonly limitBytes: number) {
    super(`the body is larger than the ${Math.round(limitBytes / 1024)} KB this route accepts`);
  }
}

export class UnsupportedMediaTypeError extends Error {
  override name = "UnsupportedMediaTypeError";
  constructor(readonly accepted: readonly string[]) {
    super(`send the body as ${accepted.join(" or ")}`);
  }
}
