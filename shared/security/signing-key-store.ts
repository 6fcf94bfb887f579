import { randomBytes } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { db, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";

const keyItemSchema = z.object({ key: z.string().min(1) });

let cachedKey: Buffer | undefined;

/**
 * The HMAC key, kept in the table (created once, by whoever signs first, with a conditional
 * write). It lives with the data it protects and is guarded by the same IAM grants, and the same
 * code runs on AWS and locally with no secret store to emulate.
 */
export async function signingKey(createIfMissing: boolean): Promise<Buffer | undefined> {
  if (cachedKey) return cachedKey;
  const read = async () =>
    (await db.send(new GetCommand({ TableName: tableName, Key: keys.tokenKey(), ConsistentRead: true })))
      .Item;
  let item = await read();
  if (!item && !createIfMissing) return undefined;
  if (!item) {
    const key = randomBytes(32).toString("base64");
    // Two first signers at once: one write wins, and both read the winner's key below.
    await unlessConditionFails(
      db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.tokenKey(), key },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    );
    item = await read();
  }
  cachedKey = Buffer.from(keyItemSchema.parse(item).key, "base64");
  return cachedKey;
}
