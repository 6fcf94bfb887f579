import { arabicCount } from "./arabic-numbers.ts";
import type { Language } from "./languages.ts";

/**
 * The privacy notice of an event, in each language: who is responsible, why the data is used,
 * what is collected, who receives it, how long it is kept, and the registrant's rights. The
 * event's own facts (controllers, contact, retention) fill it in; the text itself is here, once,
 * so its version can be derived from it (`privacyNoticeVersion`).
 */
export interface NoticeFacts {
  /** Who decides what is done with the data (GDPR controllers), with an address each. */
  controllers: { name: string; email: string }[];
  /** Where registrants write about their data (a data protection officer, or the organisers). */
  contact: string;
  /** Days the data is kept after the event's last session. */
  retentionDays: number;
}

export interface NoticeSection {
  heading: string;
  paragraphs: string[];
}

export interface PrivacyNotice {
  title: string;
  sections: NoticeSection[];
  version: string;
}

const controllersOf = (facts: NoticeFacts, and: string) =>
  facts.controllers.map((controller) => `${controller.name} (${controller.email})`).join(` ${and} `);

const notices: Record<Language, (facts: NoticeFacts) => Omit<PrivacyNotice, "version">> = {
  en: (facts) => ({
    title: "Privacy notice",
    sections: [
      {
        heading: "Who is responsible for your data",
        paragraphs: [
          `The organisers of this webinar are responsible for your registration data (they are its controllers under the GDPR): ${controllersOf(facts, "and")}.`,
          `For any question about your data, or to use your rights, write to ${facts.contact}.`,
        ],
      },
      {
        heading: "Why we use it",
        paragraphs: [
          "To register you for the session you choose, send your confirmation, calendar invitation and reminders, let you cancel, and follow up after the webinar (for example with the recording or the presentations). The legal basis is your consent, given when you register, and the organisers' task of running the webinar.",
          "We send you news of later webinars only if you tick the box for it. You can unsubscribe from those with the link in each of them.",
        ],
      },
      {
        heading: "What we collect",
        paragraphs: [
          "Your name, email address, organisation and its type, country, and what you choose to add (job title, department, city, questions, your practice); the session and language you choose; when you registered and which version of this notice you accepted; whether you attended (from the webinar platform's attendance report) and which emails we sent you.",
        ],
      },
      {
        heading: "Who receives it",
        paragraphs: [
          "Only the organisers named above. The registration service runs on Amazon Web Services, which stores the data and sends the emails (Amazon SES) on the organisers' behalf, as a processor bound by a data processing agreement; it does not use the data for anything else. No data is sold or shared for advertising, and the pages use no tracking.",
        ],
      },
      {
        heading: "How long we keep it",
        paragraphs: [
          `Until ${facts.retentionDays} days after the last session of the webinar; it is then deleted. If an email to you bounces or you unsubscribe, only your address and that fact are kept, so that we do not write to you again.`,
        ],
      },
      {
        heading: "Your rights",
        paragraphs: [
          "You may ask to see your data, to correct it, to have it deleted, to restrict or object to its use, and to receive it in a common format; you may withdraw your consent at any time, which does not affect what was done before.",
          `To cancel your registration, download your data or have it deleted, use the link in your confirmation email. For anything else, write to ${facts.contact}; we answer within one month. You may also complain to the data protection authority of your country.`,
        ],
      },
    ],
  }),
  fr: (facts) => ({
    title: "Politique de confidentialité",
    sections: [
      {
        heading: "Qui est responsable de vos données",
        paragraphs: [
          `Les organisateurs de ce webinaire sont responsables de vos données d’inscription (responsables du traitement au sens du RGPD)\u00a0: ${controllersOf(facts, "et")}.`,
          `Pour toute question sur vos données, ou pour exercer vos droits, écrivez à ${facts.contact}.`,
        ],
      },
      {
        heading: "Pourquoi nous les utilisons",
        paragraphs: [
          "Pour vous inscrire à la session choisie, vous envoyer votre confirmation, l’invitation d’agenda et les rappels, vous permettre d’annuler, et assurer le suivi après le webinaire (par exemple l’enregistrement ou les présentations). La base légale est votre consentement, donné à l’inscription, et la mission des organisateurs de tenir ce webinaire.",
          "Nous ne vous envoyons des nouvelles des webinaires suivants que si vous cochez la case prévue. Vous pouvez vous en désabonner avec le lien présent dans chacun de ces messages.",
        ],
      },
      {
        heading: "Ce que nous recueillons",
        paragraphs: [
          "Vos nom et prénom, adresse e-mail, organisation et son type, pays, et ce que vous choisissez d’ajouter (fonction, service, ville, questions, votre pratique)\u00a0; la session et la langue choisies\u00a0; la date de votre inscription et la version de cette politique acceptée\u00a0; votre présence (d’après le rapport de la plateforme du webinaire) et les e-mails que nous vous avons envoyés.",
        ],
      },
      {
        heading: "Qui les reçoit",
        paragraphs: [
          "Seuls les organisateurs nommés ci-dessus. Le service d’inscription fonctionne sur Amazon Web Services, qui stocke les données et envoie les e-mails (Amazon SES) pour le compte des organisateurs, en tant que sous-traitant lié par un accord de traitement des données\u00a0; il ne les utilise à aucune autre fin. Aucune donnée n’est vendue ni partagée à des fins publicitaires, et les pages n’utilisent aucun traceur.",
        ],
      },
      {
        heading: "Combien de temps nous les gardons",
        paragraphs: [
          `Jusqu’à ${facts.retentionDays} jours après la dernière session du webinaire\u00a0; elles sont ensuite supprimées. Si un e-mail qui vous est adressé est rejeté ou si vous vous désabonnez, seuls votre adresse et ce fait sont conservés, pour ne plus vous écrire.`,
        ],
      },
      {
        heading: "Vos droits",
        paragraphs: [
          "Vous pouvez demander à accéder à vos données, à les faire rectifier ou effacer, à en limiter l’usage ou vous y opposer, et à les recevoir dans un format courant\u00a0; vous pouvez retirer votre consentement à tout moment, sans effet sur ce qui a été fait auparavant.",
          `Pour annuler votre inscription, télécharger vos données ou les faire supprimer, utilisez le lien de votre e-mail de confirmation. Pour tout le reste, écrivez à ${facts.contact}\u00a0; nous répondons sous un mois. Vous pouvez aussi saisir l’autorité de protection des données de votre pays.`,
        ],
      },
    ],
  }),
  ar: (facts) => ({
    title: "إشعار الخصوصية",
    sections: [
      {
        heading: "الجهة المسؤولة عن بياناتك",
        paragraphs: [
          `منظمو هذه الندوة الإلكترونية هم المسؤولون عن بيانات تسجيلك (بصفتهم المتحكمين فيها بموجب اللائحة العامة لحماية البيانات): ${controllersOf(facts, "و")}.`,
          `لأي سؤال بشأن بياناتك، أو لممارسة حقوقك، راسل ${facts.contact}.`,
        ],
      },
      {
        heading: "لماذا نستخدمها",
        paragraphs: [
          "لتسجيلك في الجلسة التي تختارها، وإرسال تأكيد التسجيل ودعوة التقويم والتذكيرات إليك، وتمكينك من الإلغاء، والمتابعة بعد الندوة (بإرسال التسجيل المصوَّر أو العروض التقديمية مثلًا). والأساس القانوني لذلك هو موافقتك التي تمنحها عند التسجيل، ومهمة المنظمين في تنظيم الندوة.",
          "لا نرسل إليك أخبار الندوات اللاحقة إلا إذا حدّدت المربع الخاص بذلك. ويمكنك إلغاء الاشتراك فيها عبر الرابط الوارد في كل رسالة منها.",
        ],
      },
      {
        heading: "ما نجمعه",
        paragraphs: [
          "اسمك، وعنوان بريدك الإلكتروني، والجهة التي تعمل فيها ونوعها، والبلد، وما تختار إضافته (المسمى الوظيفي، والإدارة، والمدينة، والأسئلة، وممارستك)؛ والجلسة واللغة اللتين تختارهما؛ وتاريخ تسجيلك وإصدار هذا الإشعار الذي وافقت عليه؛ وما إذا كنت قد حضرت (وفق تقرير الحضور الصادر عن منصة الندوة) والرسائل التي أرسلناها إليك.",
        ],
      },
      {
        heading: "من يتلقاها",
        paragraphs: [
          "المنظمون المذكورون أعلاه فقط. تعمل خدمة التسجيل على Amazon Web Services، التي تخزّن البيانات وترسل الرسائل (Amazon SES) نيابةً عن المنظمين، بصفتها جهة معالِجة ملتزمة باتفاقية لمعالجة البيانات؛ ولا تستخدم البيانات لأي غرض آخر. لا تُباع أي بيانات ولا تُشارك لأغراض إعلانية، ولا تستخدم الصفحات أي وسيلة تتبّع.",
        ],
      },
      {
        heading: "مدة حفظها",
        paragraphs: [
          `حتى مرور ${arabicCount(facts.retentionDays, { one: "يوم واحد", two: "يومين", few: "أيام", many: "يومًا", other: "يوم" })} على آخر جلسة من الندوة، ثم تُحذف. وإذا ارتدّت رسالة موجهة إليك أو ألغيت اشتراكك، فلا نحتفظ إلا بعنوانك وبهذه الواقعة، كي لا نراسلك مجددًا.`,
        ],
      },
      {
        heading: "حقوقك",
        paragraphs: [
          "يحق لك أن تطلب الاطلاع على بياناتك، وتصحيحها، وحذفها، وتقييد استخدامها أو الاعتراض عليه، والحصول عليها بصيغة شائعة الاستخدام؛ ويحق لك سحب موافقتك في أي وقت، دون أن يمس ذلك ما تم قبل سحبها.",
          `لإلغاء تسجيلك، استخدم الرابط الوارد في رسالة التأكيد. ولأي أمر آخر، راسل ${facts.contact}؛ وسنرد عليك في غضون شهر. ويمكنك أيضًا تقديم شكوى إلى سلطة حماية البيانات في بلدك.`,
        ],
      },
    ],
  }),
};

/** A 32-bit FNV-1a hash, in hex: enough to tell two texts apart, with no import. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** The notice's text in every language with placeholder facts: what the version is derived from. */
export function noticeTemplateText(): string {
  const placeholder: NoticeFacts = {
    controllers: [{ name: "{controller}", email: "{controller email}" }],
    contact: "{contact}",
    // One, which Arabic writes as a word ("يوم واحد"): no number is formatted, so the text does
    // not depend on the runtime's ICU data (and the version written below names this text).
    retentionDays: 1,
  };
  return JSON.stringify(Object.entries(notices).map(([language, notice]) => [language, notice(placeholder)]));
}

/** The hash of the notice's text in every language, which its version ends with. */
export const noticeTextHash = (): string => fnv1a(noticeTemplateText());

/**
 * The version of the notice a registrant accepts, stored with their consent: the date of its text
 * and the hash of that text (every language), so it changes whenever the text does and never when
 * it does not; the event's own facts (names, addresses, days) are shown on the page with it.
 * Written out rather than derived at cold start (building and hashing every language's text took
 * ~2 ms of each cold start of `register` and the form): `test/unit/privacy-notice-version.test.ts`
 * fails, with the version to write, when the text no longer has this hash.
 */
export const privacyNoticeVersion = "2026-11-29.21625892";

/** The notice of an event in `language`, with its version. */
export function privacyNotice(language: Language, facts: NoticeFacts): PrivacyNotice {
  return { ...notices[language](facts), version: privacyNoticeVersion };
}
