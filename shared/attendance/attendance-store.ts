import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchWrite, type WriteRequest } from "../aws/batch-write.ts";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import type { BusMessage } from "../bus/define-event.ts";
import { outboxEntry } from "../bus/outbox.ts";
import { ConflictError } from "../domain/errors.ts";

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

/** The import of a session, if one is done: while an import runs, the item holds only its mark. */
export async function readImport(eventId: string, sessionId: string): Promise<ImportItem | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: keys.attendanceImport(eventId, sessionId) }),
  );
  return Item && Item.writing === undefined ? importItemSchema.parse(Item) : undefined;
}

/**
 * How long an import holds its session (the `writing` mark on its import item): longer than the
 * import function's 60 s timeout, so that a live import is never overtaken, and short enough that
 * one that died leaves the session to the next upload within minutes.
 */
const importLeaseMs = 2 * 60_000;

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
 * Replaces a session's attendance with a new import, and announces it once.
 * 1. Marks the import item as being written by this file (`writing`, its hash, leased for
 *    `importLeaseMs`): the session reads as not imported (rather than a mix of two files) until
 *    the import item comes back, and uploading either file again redoes it all. Another report
 *    of the session while one is being written is refused (409 `import-running`): their pages
 *    would mix. The same report again goes ahead beside it (both write the same records).
 * 2. Puts the new pages and deletes the session's pages beyond them (those of a longer import
 *    before, or of one that died half-way), with BatchWriteItem.
 * 3. Puts the import item back in one transaction with the message that announces the import (an
 *    outbox item: written with the change or not at all, relayed from the table's stream) and the
 *    session's `ANNOUNCED` item, which holds `result` and is written only if it held another one:
 *    two uploads of one report at the same moment write the same records, and whichever comes
 *    second finds its result announced and puts the import item alone. False when so.
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
  const importKey = keys.attendanceImport(eventId, sessionId);
  const { fileHash } = importItem;
  const writingUntil = new Date(Date.now() + importLeaseMs).toISOString();
  const marked = await unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...importKey, writing: fileHash, writingUntil, expiresAt },
        ConditionExpression: "attribute_not_exists(writing) OR writing = :fileHash OR writingUntil < :now",
        ExpressionAttributeValues: { ":fileHash": fileHash, ":now": new Date().toISOString() },
      }),
    ),
  );
  if (!marked) throw importRunning();
  try {
    const pages = Math.ceil(records.length / recordsPerPage);
    const { pk, skPrefix } = keys.sessionAttendance(eventId, sessionId);
    const stored = await queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
      ProjectionExpression: "pk, sk",
    });
    const writes: WriteRequest[] = Array.from({ length: pages }, (_, page) => ({
      put: {
        ...keys.attendancePage(eventId, sessionId, page),
        records: records.slice(page * recordsPerPage, (page + 1) * recordsPerPage),
        expiresAt,
      },
    }));
    const kept = new Set(writes.map((write) => ("put" in write ? write.put.sk : "")));
    for (const item of stored) {
      const key = pageKeySchema.parse(item);
      if (!kept.has(key.sk)) writes.push({ delete: key });
    }
    await batchWrite(writes);
    // Still this file's to finish: being written by it, or finished by its twin beside it.
    const putImport = {
      Put: {
        TableName: tableName,
        Item: { ...importKey, ...importItem, pages, expiresAt },
        ConditionExpression:
          "writing = :fileHash OR (attribute_not_exists(writing) AND fileHash = :fileHash)",
        ExpressionAttributeValues: { ":fileHash": fileHash },
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
    if (failed === 0 || !(await unlessConditionFails(db.send(new PutCommand(putImport.Put))))) {
      throw importRunning();
    }
    return false;
  } catch (error) {
    // The session is left to the next upload at once rather than when the lease ends.
    await unlessConditionFails(
      db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: importKey,
          ConditionExpression: "writing = :fileHash",
          ExpressionAttributeValues: { ":fileHash": fileHash },
        }),
      ),
    ).catch(() => undefined);
    throw error;
  }
}

const pageKeySchema = z.object({ pk: z.string(), sk: z.string() });

const importRunning = () =>
  new ConflictError(
    "import-running",
    "another attendance report of this session is being imported: upload this one again once that import is done (at most two minutes)",
  );
