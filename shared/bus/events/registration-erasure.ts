import * as z from "zod";
import { defineEvent } from "../define-event.ts";

/**
 * A registrant's data is being erased (the registration is marked and its seat freed): the
 * remaining steps strip every item about them. Published by the sweeper when the erasure's lease
 * expired before it finished (its process died), so a half-done erasure always completes.
 */
export const registrationErasure = defineEvent(
  "registration.erasure",
  z.object({ registrationId: z.string() }),
);
