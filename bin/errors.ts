/**
 * A failure the organiser can act on (an unreadable file, a refused token, an invalid event).
 * The entry point prints its message as it is and exits with 1, never with a stack trace: the
 * people running `convene` are programme staff, not developers.
 */
export class CliError extends Error {
  override name = "CliError";
}

/** One invalid field, as the API reports it in a 400 `validation` answer. */
export type Issue = { path: string; message: string };

/**
 * An answer of the API other than 2xx, already worded for the organiser. Commands may catch it to
 * add advice they alone can give (for example that an event id came from a file name).
 */
export class ApiError extends CliError {
  override name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
  }
}

/** A file system error in words, without the stack or the syscall jargon of its message. */
export function describeFsError(error: unknown): string {
  if (!isNodeError(error)) return String(error);
  switch (error.code) {
    case "ENOENT":
      return "there is no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder, not a file";
    default:
      return error.message;
  }
}

/** Node.js system errors carry a `code` (ENOENT…) that says more to the organiser than their message. */
export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}
