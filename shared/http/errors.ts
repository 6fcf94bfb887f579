import type { z } from "zod";

/**
 * The one error taxonomy of the API. Use cases throw these; `toErrorResponse` maps them to HTTP
 * in one place. Anything else is a bug and becomes a 500 that never echoes its message.
 */
export type Issue = { path: string; message: string };

export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(
    readonly issues: Issue[],
    options?: ErrorOptions,
  ) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), options);
  }

  /** Zod's issues with dotted paths (`sessions.0.startsAt`), under an optional prefix. */
  static fromZod(error: z.ZodError, prefix: string[] = []): ValidationError {
    return new ValidationError(
      error.issues.map((issue) => ({
        path: [...prefix, ...issue.path.map(String)].join("."),
        message: issue.message,
      })),
      { cause: error },
    );
  }
}

export class MalformedBodyError extends Error {
  override name = "MalformedBodyError";
}

export class UnauthorizedError extends Error {
  override name = "UnauthorizedError";
}

export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** A request that is well formed but clashes with the current state; `code` is for scripts. */
export class ConflictError extends Error {
  override name = "ConflictError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
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

/** Content that was received whole but cannot be used (an unreadable file, for example). */
export class UnprocessableError extends Error {
  override name = "UnprocessableError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
