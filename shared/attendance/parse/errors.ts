const understood =
  "understood: Zoom webinar attendee reports, Zoom meeting participant exports, Microsoft Teams " +
  "attendance reports, Webex attendee reports, or a CSV (comma, semicolon or tab; UTF-8, UTF-16 or " +
  "Windows-1252) with an email column";

/**
 * An upload that cannot be read as an attendance report. The message names what was missing and
 * the formats that are understood, so that the organiser knows which file to download instead.
 */
export class UnreadableReportError extends Error {
  override name = "UnreadableReportError";
  constructor(
    readonly missing: string,
    options?: ErrorOptions,
  ) {
    super(`cannot read the attendance report: ${missing} (${understood})`, options);
  }
}
