import * as z from "zod";
import { slugSchema } from "#shared/domain/event";
import { localizedTextSchema } from "#shared/domain/languages";
import { cancelSessions } from "#shared/events/cancel-sessions";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";

/**
 * Cancels a session (`/sessions/{sessionId}/cancel`) or every session of an event (`/cancel`),
 * with an optional message to the registrants per language; answers the event as saved.
 */
export const handler = httpRoute({
  params: z.object({ eventId: slugSchema, sessionId: slugSchema.optional() }),
  body: {
    schema: z.object({ message: localizedTextSchema.optional() }),
    limitBytes: 64 * 1024,
    accepts: ["json"],
    optional: true,
  },
  async handle({ params, body }) {
    return json(200, await cancelSessions(params.eventId, params.sessionId, body.message));
  },
});
