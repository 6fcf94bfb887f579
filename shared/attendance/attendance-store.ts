import { randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { batchWrite } from "../aws/batch-write.ts";
import { db, queryAll, tableName, unlessConditionFails } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { transact } from "../aws/transact.ts";
import type { BusMessage } from "../bus/define-event.ts";
import { outboxEntry } from "../bus/outbox.ts";
import { ConflictError } from "../domain/errors.ts";
import { allKeys } from "../privacy/privacy-store.ts";

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
 * 1. Marks the import item as being written by this upload (`writing`, an id of its own, leased
 *    for `importLeaseMs`): the session reads as not imported (rather than a mix of two files)
 *    until the import item comes back, and uploading either file again redoes it all. Any other
 *    upload of the session meanwhile is refused (409 `import-running`), the same file's too (a
 *    retry after a gateway timeout): two writers of one session's pages would mix them, or
 *    delete each other's, and whoever finished first would lift the other's mark.
 * 2. Puts the new pages and deletes the session's pages beyond them (those of a longer import
 *    before, or of one that died half-way), with BatchWriteItem.
 * 3. Puts the import item back, if the mark is still this upload's (a lease that ended lets
 *    another upload take the session over), in one transaction with the message that announces
 *    the import (an outbox item: written with the change or not at all, relayed from the table's
 *    stream) and the session's `ANNOUNCED` item, which holds `result` and is written only if it
 *    held another one: an upload whose result was the last announced (the same report again
 *    after an attempt that failed before its import item) puts the import item alone. False when so.
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
  const upload = randomUUID();
  const ours = { ConditionExpression: "writing = :upload", ExpressionAttributeValues: { ":upload": upload } };
  const marked = await unlessConditionFails(
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...importKey,
          writing: upload,
          writingUntil: new Date(Date.now() + importLeaseMs).toISOString(),
          expiresAt,
        },
        ConditionExpression: "attribute_not_exists(writing) OR writingUntil < :now",
        ExpressionAttributeValues: { ":now": new Date().toISOString() },
      }),
    ),
  );
  if (!marked) throw importRunning();
  try {
    const pages = Array.from({ length: Math.ceil(records.length / recordsPerPage) }, (_, page) => ({
      ...keys.attendancePage(eventId, sessionId, page),
      records: records.slice(page * recordsPerPage, (page + 1) * recordsPerPage),
      expiresAt,
    }));
    const written = new Set(pages.map((page) => page.sk));
    const stale = (await allKeys(keys.sessionAttendance(eventId, sessionId))).filter(
      (key) => !written.has(key.sk),
    );
    await batchWrite([...pages.map((page) => ({ put: page })), ...stale.map((key) => ({ delete: key }))]);
    const putImport = {
      TableName: tableName,
      Item: { ...importKey, ...importItem, pages: pages.length, expiresAt },
      ...ours,
    };
    const failed = await transact([
      { Put: putImport },
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
    if (failed === 0 || !(await unlessConditionFails(db.send(new PutCommand(putImport))))) {
      throw importRunning();
    }
    return false;
  } catch (error) {
    // The session is left to the next upload at once rather than when the lease ends.
    await unlessConditionFails(
      db.send(new DeleteCommand({ TableName: tableName, Key: importKey, ...ours })),
    ).catch(() => undefined);
    throw error;
  }
}

const importRunning = () =>
  new ConflictError(
    "import-running",
    "another attendance report of this session is being imported: upload this one again once that import is done (at most two minutes)",
  );
