import type { z } from "zod";

/**
 * The errors of the domain: what a use case or a store says went wrong, in its own words. They know
 * nothing of HTTP; `shared/http/error-response.ts` maps them to status codes in one place, so a bus
 * consumer's bundle never carries the HTTP layer. Anything else thrown is a bug.
 */
export type Issue = { path: string; message: string };

/** Input that breaks a rule; each issue names the field (dotted path) and what is wrong with it. */
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

/** A signed link or token that does not check out: same answer for a wrong token and an unknown id. */
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

/** Too many requests from one client or for one email domain; worth trying again after a while. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    /** Whole seconds until the limit's window ends (HTTP `Retry-After`). */
    readonly retryAfterSeconds: number,
    message = "too many requests; please try again later",
  ) {
    super(message);
  }
}

/**
 * Too much at once on our side: many people registering for one session at the same moment kept a
 * write from going through in the time a request has, or the request ran out of its time. Worth
 * trying again in a moment (a registration tried again is never stored twice: the same email finds
 * the one stored).
 */
export class BusyError extends Error {
  override name = "BusyError";
  constructor(
    /** Whole seconds worth waiting before trying again (HTTP `Retry-After`). */
    readonly retryAfterSeconds = 5,
    message = "many requests are being handled at this moment; please try again in a few seconds",
  ) {
    super(message);
  }
}
