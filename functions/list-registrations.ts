import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { organisationTypes, registrationStatuses } from "#shared/domain/registration";
import { getEvent } from "#shared/events/event-store";
import { json, text } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import {
  exportFormOf,
  registrationsCsv,
  registrationsXlsx,
} from "#shared/registrations/export-registrations";
import {
  allRegistrations,
  attendanceFilters,
  listRegistrations,
} from "#shared/registrations/list-registrations";

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * Registrations of an event for organisers: JSON in pages (`?limit=`, `?cursor=`), or the whole
 * list as CSV (`?format=csv`) or as an .xlsx workbook (`?format=xlsx`); each narrowed by
 * `?session=`, `?status=`, `?search=` (name, email or organisation), `?organisationType=`,
 * `?country=` and `?attendance=` (attended, absent, unknown).
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
    organisationType: z.enum(organisationTypes).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "an ISO 3166 two-letter code, in capitals")
      .optional(),
    attendance: z.enum(attendanceFilters).optional(),
  }),
  async handle({ params, query }) {
    const event = await getEvent(params.eventId);
    const { format, limit, cursor, ...filter } = query;
    if (format === "json") return json(200, await listRegistrations(event, { ...filter, limit, cursor }));
    const rows = [];
    for await (const row of allRegistrations(event, filter)) rows.push(row);
    const attachment = (extension: string) => ({
      "content-disposition": `attachment; filename="${event.id}-registrations.${extension}"`,
    });
    if (format === "csv")
      return text(
        200,
        registrationsCsv(rows, exportFormOf(event)),
        "text/csv; charset=utf-8",
        attachment("csv"),
      );
    const workbook = await registrationsXlsx(rows, event.id, exportFormOf(event));
    return { ...text(200, workbook.toString("base64"), xlsxType, attachment("xlsx")), isBase64Encoded: true };
  },
});
