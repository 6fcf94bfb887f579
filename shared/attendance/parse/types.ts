import type { ColumnName } from "./columns.ts";

/** The platforms whose reports are recognised; `generic` is any table with an email column. */
export type AttendanceFormat = "zoom-webinar" | "zoom-meeting" | "teams" | "webex" | "generic";

/**
 * One stay in the session. Reports carry no time zone, so `join` and `leave` are the organiser's
 * wall time as written (`2019-07-31T10:59:02`), never converted to UTC.
 */
export interface AttendanceSegment {
  join?: string;
  leave?: string;
  minutes: number;
}

/** Everything the report says about one person, whatever number of rows they took. */
export interface AttendancePerson {
  /** Trimmed and lowercased, since registrations are matched by email; absent for phone callers. */
  email?: string;
  name: string;
  /** Total time present, rejoins that overlap counted once; hundredths of a minute. */
  minutes: number;
  firstJoin?: string;
  lastLeave?: string;
  /** Only when the report says so explicitly (Zoom's `Attended`, a yes/no column); else minutes decide. */
  attended?: boolean;
  segments: AttendanceSegment[];
}

export interface AttendanceReport {
  format: AttendanceFormat;
  /** Attendee rows read, after leaving out hosts, panelists and organizers. */
  rows: number;
  /** One per email, or per name for people without one. */
  people: AttendancePerson[];
}

/** A decoded, parsed report: trimmed cells, no trailing empty cells, no blank records. */
export type Row = readonly string[];
export type Table = readonly Row[];

/**
 * One attendee row as a format reads it, before rows of the same person are merged.
 * `seconds` is the duration the platform reported, which wins over `leave - join`: Zoom rounds
 * each stay up to the minute, and Teams' participant totals leave out the gaps between rejoins.
 */
export interface Visit {
  email?: string;
  name: string;
  join?: string;
  leave?: string;
  seconds?: number;
  attended?: boolean;
}

/** One platform's layout: whether a table is in it, and how to read its attendee rows. */
export interface FormatReader {
  readonly format: AttendanceFormat;
  /** The header labels it reads, which also tell the delimiter of the file. */
  readonly columns: readonly ColumnName[];
  recognises(table: Table): boolean;
  read(table: Table): Visit[];
}
