import { createHash } from "node:crypto";
import * as z from "zod";
import {
  type AttendanceColumns,
  noAttendanceYet,
  sessionAttendance,
} from "../attendance/session-attendance.ts";
import { decodeCursor, encodeCursor, indexKeySchema } from "../aws/cursor.ts";
import { keys } from "../aws/table.ts";
import { ValidationError } from "../domain/errors.ts";
import type { WebinarEvent } from "../domain/event.ts";
import type { OrganisationType, Registration, RegistrationStatus } from "../domain/registration.ts";
import { type Answers, answersOf } from "../domain/registration-form.ts";
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
  "updates",
  "attended",
  "attendedMinutes",
] as const satisfies readonly (keyof (Registration & AttendanceColumns))[];

type ColumnValues = Pick<Registration & AttendanceColumns, (typeof exportColumns)[number]>;

/** A row of the export: its columns, and the answers to the event's questions by question id. */
export type ExportRow = ColumnValues & { answers: Answers };

const toRow = (registration: Registration & AttendanceColumns): ExportRow => ({
  ...(Object.fromEntries(exportColumns.map((column) => [column, registration[column]])) as ColumnValues),
  answers: answersOf(registration),
});

/**
 * Where an export page stopped: which session, where in it (a gsi1 key), and a tag of the filters
 * it was read with. Opaque to clients.
 */
const cursorSchema = z.object({
  session: z.int().min(0),
  key: indexKeySchema.optional(),
  filters: z.string().optional(),
});
type PageCursor = z.infer<typeof cursorSchema>;

/** A short tag of the filters a page was read with, which its cursor carries. */
const filtersTag = (filter: RegistrationFilter) =>
  createHash("sha256")
    .update(
      JSON.stringify([
        filter.session,
        filter.status,
        filter.search,
        filter.organisationType,
        filter.country,
        filter.attendance,
      ]),
    )
    .digest("base64url")
    .slice(0, 12);

function pageStart(text: string | undefined, event: WebinarEvent, filter: RegistrationFilter): PageCursor {
  if (!text) return { session: 0 };
  const cursor = decodeCursor(text, cursorSchema);
  // A page goes on only from a cursor of the same filters (a client that keeps it while they
  // change would skip rows or, with another status, fail DynamoDB's Query), and a Query only from
  // a key it would read: of the index, in the session the cursor names, with the status asked for.
  const session = event.sessions[cursor.session];
  const range = session && keys.sessionRegistrations(event.id, session.id, filter.status);
  const readable =
    range &&
    cursor.filters === filtersTag(filter) &&
    (!cursor.key || (cursor.key.gsi1pk === range.gsi1pk && cursor.key.gsi1sk.startsWith(range.gsi1skPrefix)));
  if (!readable)
    throw new ValidationError([
      { path: "cursor", message: "not a cursor this API returned for these filters: start again without it" },
    ]);
  return cursor;
}

/** Attended, absent (after an attendance import), or not known yet (no import for the session). */
export const attendanceFilters = ["attended", "absent", "unknown"] as const;

/**
 * What organisers narrow the list to: one session and one status (through the index keys), and
 * a text in name, email or organisation, an organisation type, a country, an attendance (on the
 * rows read).
 */
export interface RegistrationFilter {
  session?: string | undefined;
  status?: RegistrationStatus | undefined;
  search?: string | undefined;
  organisationType?: OrganisationType | undefined;
  country?: string | undefined;
  attendance?: (typeof attendanceFilters)[number] | undefined;
}

const attendanceOfRow = (row: ExportRow) =>
  row.attended === null ? "unknown" : row.attended ? "attended" : "absent";

/**
 * Text as a search compares it: lower case, without accents (`Hélène` is found by `helene`, as
 * French-speaking staff often type), so a search word matches whatever the keyboard.
 */
const searchable = (text: string) =>
  text
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLocaleLowerCase();

/** The words of a search, each to be found somewhere in a row's name, email or organisation. */
const searchWords = (search: string | undefined) =>
  searchable(search ?? "")
    .split(/\s+/)
    .filter((word) => word !== "");

/** Whether a row passes the filters that the index keys cannot apply (every word of `search`, in any order). */
function rowMatches(row: ExportRow, filter: RegistrationFilter, words: string[]): boolean {
  if (words.length > 0) {
    const text = searchable([row.firstName, row.lastName, row.email, row.organisation ?? ""].join(" "));
    if (!words.every((word) => text.includes(word))) return false;
  }
  return (
    (!filter.organisationType || row.organisationType === filter.organisationType) &&
    (!filter.country || row.country === filter.country) &&
    (!filter.attendance || attendanceOfRow(row) === filter.attendance)
  );
}

/**
 * One page of an event's registrations, session by session, oldest first within a status: each
 * Query reads gsi1 (never a Scan), narrowed by session and status through its keys; the other
 * filters are applied to what the Queries read, until the page is full. `nextCursor` is absent on the last page.
 */
export async function listRegistrations(
  event: WebinarEvent,
  page: { limit: number; cursor?: string | undefined } & RegistrationFilter,
): Promise<{ registrations: ExportRow[]; nextCursor?: string }> {
  const words = searchWords(page.search);
  if (page.session !== undefined && !event.sessions.some((session) => session.id === page.session)) {
    throw new ValidationError([{ path: "session", message: `no session "${page.session}" in this event` }]);
  }
  let position = pageStart(page.cursor, event, page);
  const registrations: ExportRow[] = [];
  while (position.session < event.sessions.length && registrations.length < page.limit) {
    const session = event.sessions[position.session];
    if (!session) break;
    if (page.session !== undefined && session.id !== page.session) {
      position = { session: position.session + 1 };
      continue;
    }
    const result = await listSessionRegistrations(event.id, session.id, page.status, {
      limit: page.limit - registrations.length,
      cursor: position.key,
    });
    const attendanceOf = await sessionAttendance(event.id, session.id);
    const rows = result.registrations.map((registration) =>
      toRow({ ...registration, ...(attendanceOf?.(registration.registrationId) ?? noAttendanceYet) }),
    );
    registrations.push(...rows.filter((row) => rowMatches(row, page, words)));
    position = result.cursor
      ? { session: position.session, key: indexKeySchema.parse(result.cursor) }
      : { session: position.session + 1 };
  }
  const more = position.session < event.sessions.length;
  return {
    registrations,
    ...(more && { nextCursor: encodeCursor({ ...position, filters: filtersTag(page) }) }),
  };
}

/** Every registration of an event, page by page (for the CSV export). */
export async function* allRegistrations(
  event: WebinarEvent,
  filter: RegistrationFilter = {},
): AsyncGenerator<ExportRow> {
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(event, { ...filter, limit: 1000, cursor });
    yield* page.registrations;
    cursor = page.nextCursor;
  } while (cursor);
}
