import type { MailingTexts } from "./mailing-texts.ts";

export const ar: MailingTexts = {
  reason: ({ title }) => `تصلك هذه الرسالة لأنك سجّلت في «${title}».`,
  unsubscribe: "إلغاء الاشتراك في هذه المراسلات",
  manage: "عرض تسجيلك أو إلغاؤه",
  colon: ": ",
};
