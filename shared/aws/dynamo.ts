import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { readConfig } from "../config.ts";

/**
 * The DynamoDB document client, built once per cold start. Its endpoint comes from the SDK's own
 * `AWS_ENDPOINT_URL_DYNAMODB`, which is how the local runtime points it at DynamoDB Local.
 */
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

export const { TABLE_NAME: tableName } = readConfig({ TABLE_NAME: z.string().min(1) });

/** A conditional write lost: the item was not in the state the write expected. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";
