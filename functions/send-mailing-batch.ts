import type { Context, EventBridgeEvent } from "aws-lambda";
import { mailingBatch } from "#shared/bus/events/mailing-batch";
import { sendMailingBatch } from "#shared/mailings/send-batch";

export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context) => {
  await sendMailingBatch(mailingBatch.schema.parse(event.detail), {
    timeLeftMs: () => context.getRemainingTimeInMillis(),
  });
};
