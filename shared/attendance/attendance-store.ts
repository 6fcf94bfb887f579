import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchWrite, type WriteRequest } from "../aws/batch-write.ts";
import { db, queryAll, tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import type { BusMessage } from "../bus/define-event.ts";
import { outboxEntry } from "../bus/outbox.ts";

/** What the last import says of one person of a session. */
const attendanceRecordSchema = z.object({
  /** The email as the report gives it (lowercased), or absent for callers without one. */
  email: z.string().optional(),
  name: z.string(),
  minutes: z.number(),
  firstJoin: z.string().optional(),
  lastLeave: z.string().optional(),
  attended: z.boolean(),
  /** The registration it matched, if any: unmatched people are kept too, never dropped. */
  registrationId: z.string().optional(),
});
export type AttendanceRecord = z.infer<typeof attendanceRecordSchema>;
const recordsPageSchema = z.object({ records: z.array(attendanceRecordSchema) });

const importCountsSchema = z.object({
  format: z.string(),
  rows: z.number().int(),
  people: z.number().int(),
  matched: z.number().int(),
  attended: z.number().int(),
  absent: z.number().int(),
});
export type ImportSummary = z.infer<typeof importCountsSchema> & {
  unmatched: { email: string; name: string; minutes: number }[];
};

/**
 * The import item: which file the records come from and its counts. The unmatched people are not
 * copied into it (thousands of them would pass DynamoDB's 400 KB item limit): they are the
 * records without a registration.
 */
const importItemSchema = z.object({
  fileHash: z.string(),
  counts: importCountsSchema,
  importedAt: z.string(),
  /** How many pages of records this import wrote. */
  pages: z.number().int(),
});
export type ImportItem = z.infer<typeof importItemSchema>;

export async function readImport(eventId: string, sessionId: string): Promise<ImportItem | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.attendanceImport(eventId, sessionId) }),
  );
  return Item ? importItemSchema.parse(Item) : undefined;
}

/**
 * Records are stored in pages of this many people, not one item each: a 20,000-row report of
 * 10,000 people is 20 writes instead of 10,000, which is what lets it import within one request.
 * A page stays far below DynamoDB's 400 KB item limit even with the longest emails.
 */
const recordsPerPage = 500;

/** Every attendance record of a session: one Query over its pages. */
export async function readAttendance(eventId: string, sessionId: string): Promise<AttendanceRecord[]> {
  const { pk, skPrefix } = keys.sessionAttendance(eventId, sessionId);
  const pages = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
  });
  return pages.flatMap((page) => recordsPageSchema.parse(page).records);
}

/**
 * Replaces a session's attendance with a new import, and announces it once: the new pages are put
 * and the pages the previous import had beyond them are deleted, with BatchWriteItem (no condition
 * is needed: the import item, deleted first and written last, says which file the records come
 * from). The import item then comes back in one transaction with the message that announces the
 * import (an outbox item: written with the change or not at all, relayed from the table's stream)
 * and the session's `ANNOUNCED` item, which holds `result` and is written only if it held another
 * one: two uploads of one report at the same moment both write the same records, and whichever
 * comes second finds its result announced and puts the import item alone. False when so.
 */
export async function replaceAttendance(
  eventId: string,
  sessionId: string,
  records: readonly AttendanceRecord[],
  importItem: Omit<ImportItem, "pages">,
  /** When DynamoDB's TTL deletes the records (they name people): see `shared/privacy/retention.ts`. */
  expiresAt: number,
  /** `attendance.imported`, and a digest of the result it announces (the same result, the same digest). */
  announce: { message: BusMessage; result: string },
  now: Date,
): Promise<boolean> {
  const previousPages = (await readImport(eventId, sessionId))?.pages ?? 0;
  // The import item goes first and comes back last: if this stops half-way, the session reads as
  // not imported (rather than a mix of two files), and uploading either file again redoes it all.
  await db.send(new DeleteCommand({ TableName: tableName, Key: keys.attendanceImport(eventId, sessionId) }));
  const pages = Math.ceil(records.length / recordsPerPage);
  const writes: WriteRequest[] = [];
  for (let page = 0; page < Math.max(pages, previousPages); page++) {
    const key = keys.attendancePage(eventId, sessionId, page);
    const pageRecords = records.slice(page * recordsPerPage, (page + 1) * recordsPerPage);
    writes.push(page < pages ? { put: { ...key, records: pageRecords, expiresAt } } : { delete: key });
  }
  await batchWrite(writes);
  const putImport = {
    Put: {
      TableName: tableName,
      Item: { ...keys.attendanceImport(eventId, sessionId), ...importItem, pages, expiresAt },
    },
  };
  const failed = await transact([
    putImport,
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.attendanceAnnounced(eventId, sessionId), result: announce.result, expiresAt },
        ConditionExpression: "attribute_not_exists(pk) OR #result <> :result",
        ExpressionAttributeNames: { "#result": "result" },
        ExpressionAttributeValues: { ":result": announce.result },
      },
    },
    { Put: { TableName: tableName, Item: outboxEntry(announce.message, now).item } },
  ]);
  if (failed === undefined) return true;
  await db.send(new PutCommand(putImport.Put));
  return false;
}
