import { busConsumer } from "#shared/bus/consumer";
import { mailingBatch } from "#shared/bus/events/mailing-batch";
import { sendMailingBatch } from "#shared/mailings/send-batch";

/** On `mailing.batch`: mails one page of a mailing's recipients, then hands on. */
export const handler = busConsumer([mailingBatch], ({ detail }, step) => sendMailingBatch(detail, step));
