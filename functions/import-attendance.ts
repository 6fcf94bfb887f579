import * as z from "zod";
import { importAttendance } from "#shared/attendance/import-attendance";
import { slugSchema } from "#shared/domain/event";
import { singleFileOf } from "#shared/http/multipart";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/**
 * The attendance report of a session, uploaded as downloaded. The format is read from the content,
 * so the media type only tells a multipart upload (a form, `curl -F`) from a raw one; spreadsheet
 * programs and browsers label CSV files in several ways, all accepted. A `text/*` body arrives
 * decoded as UTF-8, so one that was not UTF-8 is refused (415, `readUpload`): a report in UTF-16
 * or Windows-1252 comes as `application/octet-stream` or multipart, whose bytes are kept.
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, sessionId: slugSchema }),
  upload: {
    limitBytes: 10 * 1024 * 1024,
    mediaTypes: [
      "text/csv",
      "text/tab-separated-values",
      "application/octet-stream",
      "multipart/form-data",
      "text/plain",
      "application/vnd.ms-excel",
    ],
  },
  async handle({ params, upload, headers }) {
    if (!upload) throw new Error("the upload option is set above");
    const file =
      upload.mediaType === "multipart/form-data"
        ? await singleFileOf(upload.bytes, headers["content-type"] ?? "")
        : upload.bytes;
    return json(200, await importAttendance(params.eventId, params.sessionId, file));
  },
});
