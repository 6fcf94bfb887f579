import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { registrationStatuses } from "#shared/domain/registration";
import { getEvent } from "#shared/events/event-store";
import { json, text } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { registrationsCsv, registrationsXlsx } from "#shared/registrations/export-registrations";
import { allRegistrations, listRegistrations } from "#shared/registrations/list-registrations";

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Registrations of an event for organisers: JSON in pages (`?limit=`, `?cursor=`), or the whole
 * list as CSV (`?format=csv`) or as an .xlsx workbook (`?format=xlsx`); each narrowed by
 * `?session=`, `?status=` and `?search=` (name, email or organisation).
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema }),
  query: z.object({
    format: z.enum(["json", "csv", "xlsx"]).default("json"),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
    cursor: z.string().max(2_000).optional(),
    session: slugSchema.optional(),
    status: z.enum(registrationStatuses).optional(),
    search: z.string().max(200).optional(),
  }),
  async handle({ params, query }) {
    const event = await getEvent(params.eventId);
    const filter = { session: query.session, status: query.status, search: query.search };
    if (query.format === "json") return json(200, await listRegistrations(event, { ...query, ...filter }));
    const rows = [];
    for await (const row of allRegistrations(event, filter)) rows.push(row);
    const attachment = (extension: string) => ({
      "content-disposition": `attachment; filename="${event.id}-registrations.${extension}"`,
    });
    if (query.format === "csv")
      return text(200, registrationsCsv(rows), "text/csv; charset=utf-8", attachment("csv"));
    const workbook = await registrationsXlsx(rows, event.id);
    return { ...text(200, workbook.toString("base64"), xlsxType, attachment("xlsx")), isBase64Encoded: true };
  },
});
