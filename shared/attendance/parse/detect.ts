import { labelTest } from "./columns.ts";
import { generic } from "./formats/generic.ts";
import { teams } from "./formats/teams.ts";
import { webex } from "./formats/webex.ts";
import { zoomMeeting } from "./formats/zoom-meeting.ts";
import { zoomWebinar } from "./formats/zoom-webinar.ts";
import type { FormatReader, Table } from "./types.ts";

/**
 * Most specific first: Teams' numbered sections and Zoom's webinar sections are unmistakable, Zoom
 * meeting and Webex headers less so, and the generic reader takes any table with an email column.
 */
const readers: readonly FormatReader[] = [teams, zoomWebinar, zoomMeeting, webex, generic];

/** Platforms put their titles and headers above the attendees, who can be thousands. */
const recognitionDepth = 200;

/** The reader for a table, judged from its content alone: file names and content types lie. */
export function readerFor(table: Table): FormatReader {
  const head = table.slice(0, recognitionDepth);
  return readers.find((reader) => reader.recognises(head)) ?? generic;
}

/** Whether a cell is a header label that some format reads. */
export const isKnownLabel = labelTest(readers.flatMap((reader) => reader.columns));
