/**
 * The one DynamoDB table: its definition (used by the CDK stack and by the local runtime to create
 * it) and every key. Nothing else in the code base writes a key string, so the access patterns
 * can be read in one place:
 *
 * | item            | pk                 | sk                 |
 * |-----------------|--------------------|--------------------|
 * | event           | EVENT#<eventId>    | EVENT              |
 */
export const tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  globalSecondaryIndexes: [{ indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" }],
  timeToLiveAttribute: "expiresAt",
} as const;

export type TableKey = { pk: string; sk: string };

export const keys = {
  event: (eventId: string): TableKey => ({ pk: `EVENT#${eventId}`, sk: "EVENT" }),
};
