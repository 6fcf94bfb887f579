import type { Language } from "../../domain/languages.ts";
import type { PageMessage } from "./types.ts";

const nbsp = "\u00a0";

/**
 * The words of the unsubscribe pages, per language. Kept apart from `PageTexts` because these
 * pages belong to the suppression list, not to registration; a record over `Language` still makes
 * a language without its texts a type error.
 */
export interface UnsubscribeTexts {
  pageTitle: string;
  /** The question above the button, naming the address the link was made for. */
  question: (email: string) => string;
  /** What unsubscribing stops, and what it does not. */
  scope: string;
  button: string;
  /** Shown instead of the button when the address already gets no mailings. */
  alreadyUnsubscribed: string;
  done: PageMessage & { detail: (email: string) => string };
}

export const unsubscribeTexts: Record<Language, UnsubscribeTexts> = {
  en: {
    pageTitle: "Unsubscribe",
    question: (email) => `Stop receiving the organisers’ mailings at ${email}?`,
    scope:
      "You will no longer receive announcements and follow-up mailings (thanks, recordings, surveys) from the webinars of this series. Emails about a registration you keep, such as its confirmation and reminders, still reach you; to stop them, cancel that registration with the link in its confirmation email.",
    button: "Unsubscribe",
    alreadyUnsubscribed: "This address already receives no mailings. There is nothing else to do.",
    done: {
      title: "You are unsubscribed",
      message: "You will receive no more mailings from the organisers of this webinar series.",
      detail: (email) => `Address: ${email}`,
    },
  },
  fr: {
    pageTitle: "Se désabonner",
    question: (email) => `Ne plus recevoir les envois des organisateurs à l’adresse ${email}${nbsp}?`,
    scope: `Vous ne recevrez plus les annonces ni les envois de suivi (remerciements, enregistrements, questionnaires) des webinaires de cette série. Les e-mails concernant une inscription que vous conservez, comme sa confirmation et ses rappels, vous parviendront toujours${nbsp}; pour les arrêter, annulez cette inscription avec le lien de son e-mail de confirmation.`,
    button: "Me désabonner",
    alreadyUnsubscribed: "Cette adresse ne reçoit déjà plus d’envois. Vous n’avez rien d’autre à faire.",
    done: {
      title: "Vous êtes désabonné(e)",
      message: "Vous ne recevrez plus d’envois des organisateurs de cette série de webinaires.",
      detail: (email) => `Adresse${nbsp}: ${email}`,
    },
  },
  ar: {
    pageTitle: "إلغاء الاشتراك",
    question: (email) => `هل تريد التوقف عن تلقي مراسلات المنظمين على العنوان ${email}؟`,
    scope:
      "لن تتلقى بعد الآن الإعلانات ولا مراسلات المتابعة (رسائل الشكر، والتسجيلات، والاستبيانات) الخاصة بندوات هذه السلسلة. أما الرسائل المتعلقة بتسجيل تحتفظ به، كرسالة تأكيده وتذكيراته، فستظل تصلك؛ ولإيقافها، ألغِ ذلك التسجيل عبر الرابط الوارد في رسالة تأكيده.",
    button: "ألغِ اشتراكي",
    alreadyUnsubscribed: "لا يتلقى هذا العنوان أي مراسلات بالفعل. لا يلزمك القيام بأي شيء آخر.",
    done: {
      title: "أُلغي اشتراكك",
      message: "لن تتلقى بعد الآن أي مراسلات من منظمي سلسلة الندوات الإلكترونية هذه.",
      detail: (email) => `العنوان: ${email}`,
    },
  },
};
