import * as z from "zod";
import { readConfig } from "../config.ts";

/**
 * The variables every mail-sending function gets (`access.mail` in the wiring), read once at cold
 * start so that a function deployed without them fails at init, not halfway through a mailing.
 */
const env = readConfig({
  SENDER_EMAIL: z.email(),
  // Shown in inboxes before the address ("UCLG & UNICEF webinars" <webinars@…>); optional.
  SENDER_NAME: z
    .string()
    .trim()
    .max(100)
    .regex(/^[^\r\n]*$/, "one line")
    .optional(),
  SES_CONFIGURATION_SET: z.string().min(1),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }),
});

/** Who mails are sent as, and the SES configuration set that records their deliveries and bounces. */
export const mailSettings = {
  senderEmail: env.SENDER_EMAIL,
  /** The From of every mail: the display name (encoded by the composer) and the address. */
  from: env.SENDER_NAME ? { name: env.SENDER_NAME, address: env.SENDER_EMAIL } : env.SENDER_EMAIL,
  configurationSet: env.SES_CONFIGURATION_SET,
} as const;

/** Base of the links in mails (manage, unsubscribe), without a trailing slash so paths can be appended. */
export const publicUrl = env.PUBLIC_URL.replace(/\/+$/, "");
