import { busConsumer } from "#shared/bus/consumer";
import { mailingRequested } from "#shared/bus/events/mailing-requested";
import { dispatchMailing } from "#shared/mailings/dispatch-mailing";

/** On `mailing.requested`: fixes the mailing's recipients and starts its chain of batches. */
export const handler = busConsumer([mailingRequested], ({ detail }, step) =>
  dispatchMailing(detail.eventId, detail.mailingId, step),
);
