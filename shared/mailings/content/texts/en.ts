import type { MailingTexts } from "./mailing-texts.ts";

export const en: MailingTexts = {
  reason: ({ title }) => `You are receiving this message because you registered for “${title}”.`,
  unsubscribe: "Unsubscribe from these mailings",
  manage: "View or cancel your registration",
  colon: ": ",
};
