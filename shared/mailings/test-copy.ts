import { UnprocessableError } from "../domain/errors.ts";
import type { Language } from "../domain/languages.ts";
import { getEvent } from "../events/event-store.ts";
import { sendRawMail } from "../mail/mailer.ts";
import { stopsMail } from "../suppression/suppression.ts";
import { suppressionOf } from "../suppression/suppression-store.ts";
import { getMailing } from "./mailing-store.ts";
import { mailingMessageFor } from "./message.ts";
import { sampleRecipient } from "./preview-mailing.ts";

/**
 * Sends one test copy to an organiser, written for a sample registrant. It is paced like any mail
 * and refused for an address that bounced or complained, but it is no delivery of the mailing:
 * nothing is recorded, and it can be sent again after an edit.
 */
export async function sendTestCopy(eventId: string, mailingId: string, email: string, language: Language) {
  const [mailing, event, suppression] = await Promise.all([
    getMailing(eventId, mailingId),
    getEvent(eventId),
    suppressionOf(email),
  ]);
  if (stopsMail(suppression, "registrant")) {
    throw new UnprocessableError(
      "suppressed",
      `${email} bounced or complained before: no mail is sent to it`,
    );
  }
  const mail = await mailingMessageFor(mailing, event, { ...sampleRecipient(event, language), email });
  try {
    await sendRawMail({ raw: mail.raw, to: mail.to });
  } catch (error) {
    if (error instanceof Error && error.name === "MessageRejected") {
      throw new UnprocessableError("rejected", `the mail service refused ${email}: ${error.message}`);
    }
    throw error;
  }
}
