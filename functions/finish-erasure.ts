import { busConsumer } from "#shared/bus/consumer";
import { registrationErasure } from "#shared/bus/events/registration-erasure";
import { finishErasure } from "#shared/privacy/erase";

/** On `registration.erasure` (from the sweeper): finishes an erasure whose process stopped half-way. */
export const handler = busConsumer([registrationErasure], ({ detail }) =>
  finishErasure(detail.registrationId),
);
