import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { db, isConditionFailure, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";

/** What a token lets its holder do; a token for one purpose is worthless for another. */
export type TokenPurpose = "manage-registration" | "unsubscribe";

let cachedKey: Buffer | undefined;

/**
 * The HMAC key, kept in the table (created once, by whoever signs first, with a conditional
 * write). It lives with the data it protects and is guarded by the same IAM grants, and the same
 * code runs on AWS and locally with no secret store to emulate.
 */
async function signingKey(createIfMissing: boolean): Promise<Buffer | undefined> {
  if (cachedKey) return cachedKey;
  const read = async () =>
    (await db.send(new GetCommand({ TableName: tableName, Key: keys.tokenKey(), ConsistentRead: true })))
      .Item;
  let item = await read();
  if (!item && !createIfMissing) return undefined;
  if (!item) {
    const key = randomBytes(32).toString("base64");
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.tokenKey(), key },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    item = await read();
  }
  cachedKey = Buffer.from(item?.key as string, "base64");
  return cachedKey;
}

const mac = (key: Buffer, purpose: TokenPurpose, subject: string) =>
  createHmac("sha256", key).update(`${purpose}\n${subject}`).digest();

/** A token bound to `subject` (a registration id, an email) and to its purpose. */
export async function signToken(purpose: TokenPurpose, subject: string): Promise<string> {
  return mac((await signingKey(true)) as Buffer, purpose, subject).toString("base64url");
}

export async function verifyToken(
  purpose: TokenPurpose,
  subject: string,
  token: string | undefined,
): Promise<boolean> {
  // Checking needs only read access: with no key yet, nothing was ever signed.
  const key = token ? await signingKey(false) : undefined;
  if (!token || !key) return false;
  const given = Buffer.from(token, "base64url");
  const expected = mac(key, purpose, subject);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
