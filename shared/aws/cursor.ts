import * as z from "zod";
import { ValidationError } from "../domain/errors.ts";

/**
 * Cursors are opaque to clients: where a page stopped, as base64url JSON. Decoding validates the
 * shape with the caller's schema, so a crafted or truncated cursor is a 400 naming `cursor`, never a
 * Query that DynamoDB refuses (a 500).
 */
export const encodeCursor = (position: unknown): string =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

export function decodeCursor<Schema extends z.ZodType>(text: string, schema: Schema): z.infer<Schema> {
  try {
    return schema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch (error) {
    throw new ValidationError([{ path: "cursor", message: "not a cursor returned by this API" }], {
      cause: error,
    });
  }
}

/** The key a Query on gsi1 stops at: table keys and index keys, all strings. */
export const indexKeySchema = z.strictObject({
  pk: z.string(),
  sk: z.string(),
  gsi1pk: z.string(),
  gsi1sk: z.string(),
});
