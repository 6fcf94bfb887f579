import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { readConfig } from "../config.ts";

/**
 * The DynamoDB document client, built once per cold start. Its endpoint comes from the SDK's own
 * `AWS_ENDPOINT_URL_DYNAMODB`, which is how the local runtime points it at DynamoDB Local.
 */
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const { TABLE_NAME: tableName } = readConfig({ TABLE_NAME: z.string().min(1) });

/** One item of a TransactWriteItems call (a Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** A conditional write lost: the item was not in the state the write expected. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

/** Runs a conditional write; false when its condition failed (another writer got there first). */
export async function unlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Every page of a Query, one after the other: the loop on `LastEvaluatedKey` written once. */
export async function* queryPages(
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
): AsyncGenerator<Record<string, unknown>[]> {
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: cursor }),
    );
    yield page.Items ?? [];
    cursor = page.LastEvaluatedKey;
  } while (cursor);
}

/** Every item a Query matches, read page by page (1 MB each). */
export async function queryAll(
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}
