import type { EventBridgeEvent } from "aws-lambda";
import { mailingRequested } from "#shared/bus/events/mailing-requested";
import { dispatchMailing } from "#shared/mailings/dispatch-mailing";

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const { eventId, mailingId } = mailingRequested.schema.parse(event.detail);
  await dispatchMailing(eventId, mailingId, event.id);
};
