import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { slugSchema } from "#shared/domain/event";
import { getEvent } from "#shared/events/event-store";
import { json, text } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { allRegistrations, exportColumns, listRegistrations } from "#shared/registrations/list-registrations";

/**
 * Registrations of an event for organisers: JSON in pages (`?limit=`, `?cursor=`), or the whole
 * list as CSV (`?format=csv`), UTF-8 with a byte-order mark so spreadsheet programs show accents.
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({
    format: z.enum(["json", "csv"]).default("json"),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
    cursor: z.string().optional(),
  }),
  async handle({ params, query }) {
    const event = await getEvent(params.eventId);
    if (query.format === "json") return json(200, await listRegistrations(event, query));
    const rows = [];
    for await (const row of allRegistrations(event)) rows.push(row);
    // escape_formulas: a registrant named "=HYPERLINK(…)" must not run in the organiser's spreadsheet.
    const csv = stringify(rows, {
      header: true,
      columns: [...exportColumns],
      bom: true,
      escape_formulas: true,
    });
    return text(200, csv, "text/csv; charset=utf-8", {
      "content-disposition": `attachment; filename="${event.id}-registrations.csv"`,
    });
  },
});
