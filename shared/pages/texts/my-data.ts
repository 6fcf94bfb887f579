import type { Language } from "../../domain/languages.ts";
import type { PageMessage } from "./types.ts";

const nbsp = "\u00a0";

/**
 * The words of the registrant's data section of the manage page and of the erasure pages, per
 * language. Kept apart from `PageTexts` (whose form texts another part of the code owns); a record
 * over `Language` still makes a language without its texts a type error.
 */
export interface MyDataTexts {
  sectionTitle: string;
  downloadIntro: string;
  downloadLink: string;
  deleteIntro: string;
  deleteButton: string;
  /** The confirmation step, before anything is deleted. */
  confirm: PageMessage & { button: string; keep: string };
  erased: PageMessage;
  alreadyErased: PageMessage;
}

export const myDataTexts: Record<Language, MyDataTexts> = {
  en: {
    sectionTitle: "Your data",
    downloadIntro: "Download everything we store about you for this webinar, as a JSON file.",
    downloadLink: "Download my data",
    deleteIntro:
      "You can have everything we store about you for this webinar deleted: your registration, the record of the emails we sent you, and your attendance. Your seat is freed.",
    deleteButton: "Delete my data…",
    confirm: {
      title: "Delete your data?",
      message:
        "Your registration will be cancelled and everything we store about you for this webinar will be deleted for good: your registration details, the record of the emails we sent you and your attendance. This cannot be undone.",
      button: "Yes, delete my data",
      keep: "No, keep my registration",
    },
    erased: {
      title: "Your data has been deleted",
      message:
        "Your registration is cancelled and we no longer store any data about you for this webinar. You will receive no more emails about it.",
    },
    alreadyErased: {
      title: "Your data was already deleted",
      message: "We no longer store any data about you for this webinar. There is nothing else to do.",
    },
  },
  fr: {
    sectionTitle: "Vos données",
    downloadIntro: `Téléchargez tout ce que nous conservons à votre sujet pour ce webinaire, dans un fichier JSON.`,
    downloadLink: "Télécharger mes données",
    deleteIntro: `Vous pouvez faire supprimer tout ce que nous conservons à votre sujet pour ce webinaire${nbsp}: votre inscription, la trace des e-mails que nous vous avons envoyés et votre participation. Votre place est libérée.`,
    deleteButton: "Supprimer mes données…",
    confirm: {
      title: `Supprimer vos données${nbsp}?`,
      message: `Votre inscription sera annulée et tout ce que nous conservons à votre sujet pour ce webinaire sera définitivement supprimé${nbsp}: les informations de votre inscription, la trace des e-mails que nous vous avons envoyés et votre participation. Cette action est irréversible.`,
      button: "Oui, supprimer mes données",
      keep: "Non, garder mon inscription",
    },
    erased: {
      title: "Vos données ont été supprimées",
      message:
        "Votre inscription est annulée et nous ne conservons plus aucune donnée à votre sujet pour ce webinaire. Vous ne recevrez plus d’e-mails à son sujet.",
    },
    alreadyErased: {
      title: "Vos données avaient déjà été supprimées",
      message: `Nous ne conservons plus aucune donnée à votre sujet pour ce webinaire. Il n’y a rien d’autre à faire.`,
    },
  },
  ar: {
    sectionTitle: "بياناتك",
    downloadIntro: "نزّل كل ما نحفظه عنك بشأن هذه الندوة الإلكترونية، في ملف بصيغة JSON.",
    downloadLink: "نزّل بياناتي",
    deleteIntro:
      "يمكنك طلب حذف كل ما نحفظه عنك بشأن هذه الندوة الإلكترونية: تسجيلك، وسجل الرسائل التي أرسلناها إليك، وحضورك. ويُحرَّر مقعدك.",
    deleteButton: "احذف بياناتي…",
    confirm: {
      title: "هل تريد حذف بياناتك؟",
      message:
        "سيُلغى تسجيلك وسيُحذف نهائيًا كل ما نحفظه عنك بشأن هذه الندوة الإلكترونية: بيانات تسجيلك، وسجل الرسائل التي أرسلناها إليك، وحضورك. لا يمكن التراجع عن ذلك.",
      button: "نعم، احذف بياناتي",
      keep: "لا، أبقِ على تسجيلي",
    },
    erased: {
      title: "حُذفت بياناتك",
      message:
        "أُلغي تسجيلك ولم نعد نحفظ أي بيانات عنك بشأن هذه الندوة الإلكترونية. لن تتلقى بعد الآن أي رسائل بشأنها.",
    },
    alreadyErased: {
      title: "سبق أن حُذفت بياناتك",
      message: "لم نعد نحفظ أي بيانات عنك بشأن هذه الندوة الإلكترونية. لا يلزمك القيام بأي شيء آخر.",
    },
  },
};
