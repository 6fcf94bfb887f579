import { z } from "zod";
import {
  type AttendanceColumns,
  noAttendanceYet,
  sessionAttendance,
} from "../attendance/session-attendance.ts";
import { keys } from "../aws/table.ts";
import { ValidationError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { Registration } from "../domain/registration.ts";
import { listSessionRegistrations } from "./registration-store.ts";

/** The columns of the registrations export, in order (JSON keys and CSV header alike). */
export const exportColumns = [
  "registrationId",
  "email",
  "firstName",
  "lastName",
  "organisation",
  "organisationType",
  "jobTitle",
  "department",
  "city",
  "country",
  "sessionId",
  "language",
  "status",
  "createdAt",
  "questions",
  "practice",
  "updates",
  "attended",
  "attendedMinutes",
] as const satisfies readonly (keyof (Registration & AttendanceColumns))[];

export type ExportRow = Pick<Registration & AttendanceColumns, (typeof exportColumns)[number]>;

const toRow = (registration: Registration & AttendanceColumns): ExportRow =>
  Object.fromEntries(exportColumns.map((column) => [column, registration[column]])) as ExportRow;

/** Where an export page stopped: which session, and where in it (a gsi1 key). Opaque to clients. */
const cursorSchema = z.object({
  session: z.int().min(0),
  key: z.strictObject({ pk: z.string(), sk: z.string(), gsi1pk: z.string(), gsi1sk: z.string() }).optional(),
});
type PageCursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: PageCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(text: string | undefined, event: WebinarEvent): PageCursor {
  if (!text) return { session: 0 };
  const invalid = new ValidationError([{ path: "cursor", message: "not a cursor returned by this API" }]);
  let cursor: PageCursor;
  try {
    cursor = cursorSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw invalid;
  }
  // A Query may only resume from a key of the index it reads, in the session the cursor names.
  const session = event.sessions[cursor.session];
  if (!session) throw invalid;
  if (cursor.key && cursor.key.gsi1pk !== keys.sessionRegistrations(event.id, session.id).gsi1pk)
    throw invalid;
  return cursor;
}

/**
 * One page of an event's registrations, session by session, oldest first within a status: each
 * page is at most one Query on gsi1, never a Scan. `nextCursor` is absent on the last page.
 */
export async function listRegistrations(
  event: WebinarEvent,
  page: { limit: number; cursor?: string },
): Promise<{ registrations: ExportRow[]; nextCursor?: string }> {
  let position = decodeCursor(page.cursor, event);
  const registrations: ExportRow[] = [];
  while (position.session < event.sessions.length && registrations.length < page.limit) {
    const session = event.sessions[position.session];
    if (!session) break;
    const result = await listSessionRegistrations(event.id, session.id, undefined, {
      limit: page.limit - registrations.length,
      cursor: position.key,
    });
    const attendanceOf = await sessionAttendance(event.id, session.id);
    registrations.push(
      ...result.registrations.map((registration) =>
        toRow({ ...registration, ...(attendanceOf?.(registration.registrationId) ?? noAttendanceYet) }),
      ),
    );
    position = result.cursor
      ? { session: position.session, key: result.cursor as PageCursor["key"] }
      : { session: position.session + 1 };
  }
  const more = position.session < event.sessions.length;
  return { registrations, ...(more && { nextCursor: encodeCursor(position) }) };
}

/** Every registration of an event, page by page (for the CSV export). */
export async function* allRegistrations(event: WebinarEvent): AsyncGenerator<ExportRow> {
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(event, { limit: 1000, cursor });
    yield* page.registrations;
    cursor = page.nextCursor;
  } while (cursor);
}
