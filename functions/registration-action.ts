import * as z from "zod";
import { ValidationError } from "#shared/domain/errors";
import { slugSchema } from "#shared/domain/event";
import { json } from "#shared/http/responses";
import { httpRoute } from "#shared/http/route";
import { cancelForRegistrant, move, resend, restore } from "#shared/registrations/organiser-actions";

/**
 * What an organiser does for one registrant: `cancel`, `restore` (seat permitting, else the
 * waiting list), `move` to another session (`{"sessionId"}`), `resend` the confirmation. Each
 * mails the registrant as the registrant's own action would.
 */
export const handler = httpRoute({
  params: z.object({
    eventId: slugSchema,
    registrationId: z.uuid(),
    action: z.enum(["cancel", "restore", "move", "resend"], {
      error: "one of: cancel, restore, move, resend",
    }),
  }),
  body: {
    schema: z.object({ sessionId: slugSchema.optional() }),
    limitBytes: 4 * 1024,
    accepts: ["json"],
    optional: true,
  },
  async handle({ params, body }) {
    const { eventId, registrationId } = params;
    switch (params.action) {
      case "cancel":
        return json(200, await cancelForRegistrant(eventId, registrationId));
      case "restore":
        return json(200, await restore(eventId, registrationId));
      case "resend":
        return json(200, await resend(eventId, registrationId));
      case "move":
        if (!body.sessionId)
          throw new ValidationError([{ path: "sessionId", message: "name the session to move to" }]);
        return json(200, await move(eventId, registrationId, body.sessionId));
    }
  },
});
