import type { Language } from "../../domain/languages.ts";
import type { PageMessage } from "./types.ts";

const nbsp = "\u00a0";

/**
 * The words of the registrant's own pages (the manage page as their home, the thank-you card, the
 * switch and correction forms and their errors), per language. Kept apart from `PageTexts`, like
 * `my-data.ts`; a record over `Language` still makes a language without its texts a type error.
 */
export interface ManageTexts {
  pageTitle: string;
  /** What the registration is now, and what it means. */
  status: {
    confirmed: PageMessage;
    waitlisted: PageMessage;
    cancelled: PageMessage;
    /** The organisers cancelled the session itself. */
    sessionCancelled: PageMessage;
    /** The session is over. */
    ended: PageMessage;
  };
  registerForAnother: string;
  summary: {
    heading: string;
    when: string;
    /** Shown by the browser's script, which puts the registrant's own zone in place of UTC. */
    yourTime: string;
    utc: string;
    duration: string;
    language: string;
  };
  /** `label` comes before the join link in a calendar entry's description. */
  join: { button: string; note: string; label: string };
  calendar: { heading: string; ics: string; google: string; outlook: string; newTab: string };
  switchSession: {
    heading: string;
    intro: string;
    legend: string;
    waitlist: string;
    button: string;
  };
  details: {
    heading: string;
    intro: string;
    emailNote: string;
    button: string;
    /** The summary of a correction's errors. */
    errorsTitle: string;
  };
  yourDetails: string;
  /** Said once after an action, at the top of the manage page it returns to. */
  done: { switchedConfirmed: string; switchedWaitlisted: string; detailsSaved: string };
  thankYou: {
    nextSteps: string;
    confirmedSteps: string[];
    waitlistedSteps: string[];
    manageLink: string;
    icsLink: string;
  };
  errors: {
    /** The session chosen is cancelled, has started, or is no session of the event. */
    sessionClosed: PageMessage;
    changed: PageMessage;
    cancelled: PageMessage;
    notConfirmed: PageMessage;
  };
  back: string;
}

export const manageTexts: Record<Language, ManageTexts> = {
  en: {
    pageTitle: "Your registration",
    status: {
      confirmed: {
        title: "Confirmed",
        message: "You have a seat. The join link is below and in your emails.",
      },
      waitlisted: {
        title: "On the waiting list",
        message: "The session is full. If a seat frees up, it is yours and we will email you the join link.",
      },
      cancelled: { title: "Cancelled", message: "This registration has been cancelled." },
      sessionCancelled: {
        title: "Session cancelled",
        message: "This session was cancelled by the organisers. It will not take place.",
      },
      ended: { title: "Session over", message: "This session has ended. Thank you for your interest." },
    },
    registerForAnother: "Choose another session",
    summary: {
      heading: "Your session",
      when: "Date and time",
      yourTime: "In your time zone",
      utc: "In UTC",
      duration: "Duration",
      language: "Language of the session",
    },
    join: {
      button: "Join the webinar",
      note: "This link is for registrants only; please do not share it.",
      label: "Join link:",
    },
    calendar: {
      heading: "Add to your calendar",
      ics: "Download the invitation (.ics)",
      google: "Google Calendar",
      outlook: "Outlook.com",
      newTab: "(opens in a new tab)",
    },
    switchSession: {
      heading: "Change session",
      intro:
        "You can move to another session of this event. If it is full, you join its waiting list. Your place in your current session is given to someone waiting.",
      legend: "Move to",
      waitlist: "Full: you would join the waiting list",
      button: "Change session",
    },
    details: {
      heading: "Correct your details",
      intro: "Fix a typo in your name or update your answers. Fields marked optional can be left empty.",
      emailNote:
        "Your email address cannot be changed here. To use another one, cancel this registration and register again with it, or write to the organisers.",
      button: "Save my details",
      errorsTitle: "Please correct the following",
    },
    yourDetails: "Your details",
    done: {
      switchedConfirmed: "Done: you have a seat in your new session. We have emailed you its invitation.",
      switchedWaitlisted:
        "Done: the session you chose is full, so you are on its waiting list. We have emailed you.",
      detailsSaved: "Your details have been saved.",
    },
    thankYou: {
      nextSteps: "Next steps",
      confirmedSteps: [
        "Look for our confirmation email: it has the join link and an invitation for your calendar.",
        "Add the session to your calendar now, with the buttons below.",
        "Keep the link to your registration: you can change session, correct your details or cancel there.",
      ],
      waitlistedSteps: [
        "Look for our email confirming your place on the waiting list.",
        "If a seat frees up, we will email you the join link and an invitation for your calendar.",
        "Keep the link to your registration: you can change session, correct your details or cancel there.",
      ],
      manageLink: "View or change your registration",
      icsLink: "Download the invitation (.ics)",
    },
    errors: {
      sessionClosed: {
        title: "This session is not open",
        message:
          "The session you chose has been cancelled or has already started. Choose another one from your registration page.",
      },
      changed: {
        title: "Your registration changed meanwhile",
        message: "Your registration was changed while you were on the page. Open it again and try once more.",
      },
      cancelled: {
        title: "This registration is cancelled",
        message: "A cancelled registration cannot be changed. You can register again from the event's form.",
      },
      notConfirmed: {
        title: "No seat to add to a calendar",
        message:
          "Only a confirmed registration has an invitation. If a seat frees up for you, we will email it.",
      },
    },
    back: "Back to your registration",
  },
  fr: {
    pageTitle: "Votre inscription",
    status: {
      confirmed: {
        title: "Confirmée",
        message: "Votre place est réservée. Le lien de connexion se trouve ci-dessous et dans vos e-mails.",
      },
      waitlisted: {
        title: "En liste d’attente",
        message: `La session est complète. Si une place se libère, elle est pour vous et nous vous enverrons le lien de connexion par e-mail.`,
      },
      cancelled: { title: "Annulée", message: "Cette inscription a été annulée." },
      sessionCancelled: {
        title: "Session annulée",
        message: "Cette session a été annulée par les organisateurs. Elle n’aura pas lieu.",
      },
      ended: { title: "Session terminée", message: "Cette session est terminée. Merci de votre intérêt." },
    },
    registerForAnother: "Choisir une autre session",
    summary: {
      heading: "Votre session",
      when: "Date et heure",
      yourTime: "Dans votre fuseau horaire",
      utc: "En UTC",
      duration: "Durée",
      language: "Langue de la session",
    },
    join: {
      button: "Rejoindre le webinaire",
      label: `Lien de connexion${nbsp}:`,
      note: `Ce lien est réservé aux personnes inscrites${nbsp}; merci de ne pas le partager.`,
    },
    calendar: {
      heading: "Ajouter à votre agenda",
      ics: "Télécharger l’invitation (.ics)",
      google: "Google Agenda",
      outlook: "Outlook.com",
      newTab: "(s’ouvre dans un nouvel onglet)",
    },
    switchSession: {
      heading: "Changer de session",
      intro: `Vous pouvez passer à une autre session de cet événement. Si elle est complète, vous rejoignez sa liste d’attente. Votre place dans votre session actuelle est donnée à une personne en attente.`,
      legend: "Passer à",
      waitlist: `Complète${nbsp}: vous rejoindriez la liste d’attente`,
      button: "Changer de session",
    },
    details: {
      heading: "Corriger vos informations",
      intro: `Corrigez une faute dans votre nom ou modifiez vos réponses. Les champs facultatifs peuvent rester vides.`,
      emailNote: `Votre adresse e-mail ne peut pas être modifiée ici. Pour en utiliser une autre, annulez cette inscription et inscrivez-vous à nouveau avec elle, ou écrivez aux organisateurs.`,
      button: "Enregistrer mes informations",
      errorsTitle: "Merci de corriger les points suivants",
    },
    yourDetails: "Vos informations",
    done: {
      switchedConfirmed: `C’est fait${nbsp}: vous avez une place dans votre nouvelle session. Nous vous avons envoyé son invitation par e-mail.`,
      switchedWaitlisted: `C’est fait${nbsp}: la session choisie est complète, vous êtes donc sur sa liste d’attente. Nous vous avons envoyé un e-mail.`,
      detailsSaved: "Vos informations ont été enregistrées.",
    },
    thankYou: {
      nextSteps: "Et maintenant",
      confirmedSteps: [
        `Cherchez notre e-mail de confirmation${nbsp}: il contient le lien de connexion et une invitation pour votre agenda.`,
        "Ajoutez dès maintenant la session à votre agenda, avec les boutons ci-dessous.",
        `Gardez le lien vers votre inscription${nbsp}: vous pourrez y changer de session, corriger vos informations ou annuler.`,
      ],
      waitlistedSteps: [
        "Cherchez notre e-mail qui confirme votre place sur la liste d’attente.",
        "Si une place se libère, nous vous enverrons le lien de connexion et une invitation pour votre agenda.",
        `Gardez le lien vers votre inscription${nbsp}: vous pourrez y changer de session, corriger vos informations ou annuler.`,
      ],
      manageLink: "Voir ou modifier votre inscription",
      icsLink: "Télécharger l’invitation (.ics)",
    },
    errors: {
      sessionClosed: {
        title: "Cette session n’est pas ouverte",
        message: `La session choisie a été annulée ou a déjà commencé. Choisissez-en une autre depuis la page de votre inscription.`,
      },
      changed: {
        title: "Votre inscription a changé entre-temps",
        message: `Votre inscription a été modifiée pendant que vous étiez sur la page. Ouvrez-la à nouveau et réessayez.`,
      },
      cancelled: {
        title: "Cette inscription est annulée",
        message: `Une inscription annulée ne peut pas être modifiée. Vous pouvez vous inscrire à nouveau depuis le formulaire de l’événement.`,
      },
      notConfirmed: {
        title: "Aucune place à ajouter à un agenda",
        message: `Seule une inscription confirmée a une invitation. Si une place se libère pour vous, nous vous l’enverrons par e-mail.`,
      },
    },
    back: "Retour à votre inscription",
  },
  ar: {
    pageTitle: "تسجيلك",
    status: {
      confirmed: { title: "مؤكَّد", message: "مقعدك محجوز. تجد رابط الانضمام أدناه وفي رسائلك." },
      waitlisted: {
        title: "على قائمة الانتظار",
        message: "الجلسة مكتملة. إذا شغر مقعد فهو لك، وسنرسل إليك رابط الانضمام بالبريد الإلكتروني.",
      },
      cancelled: { title: "ملغى", message: "أُلغي هذا التسجيل." },
      sessionCancelled: { title: "الجلسة ملغاة", message: "ألغى المنظمون هذه الجلسة. لن تُعقد." },
      ended: { title: "انتهت الجلسة", message: "انتهت هذه الجلسة. شكرًا لاهتمامك." },
    },
    registerForAnother: "اختر جلسة أخرى",
    summary: {
      heading: "جلستك",
      when: "التاريخ والوقت",
      yourTime: "بتوقيتك المحلي",
      utc: "بالتوقيت العالمي المنسق (UTC)",
      duration: "المدة",
      language: "لغة الجلسة",
    },
    join: {
      button: "انضم إلى الندوة",
      note: "هذا الرابط مخصص للمسجلين فقط؛ يُرجى عدم مشاركته.",
      label: "رابط الانضمام:",
    },
    calendar: {
      heading: "أضف إلى تقويمك",
      ics: "نزّل الدعوة (.ics)",
      google: "تقويم Google",
      outlook: "Outlook.com",
      newTab: "(يُفتح في علامة تبويب جديدة)",
    },
    switchSession: {
      heading: "غيّر الجلسة",
      intro:
        "يمكنك الانتقال إلى جلسة أخرى من هذه الفعالية. إذا كانت مكتملة، تنضم إلى قائمة انتظارها. ويُمنح مقعدك في جلستك الحالية لشخص ينتظر.",
      legend: "الانتقال إلى",
      waitlist: "مكتملة: ستنضم إلى قائمة الانتظار",
      button: "غيّر الجلسة",
    },
    details: {
      heading: "صحّح بياناتك",
      intro: "صحّح خطأً في اسمك أو حدّث إجاباتك. يمكن ترك الحقول الاختيارية فارغة.",
      emailNote:
        "لا يمكن تغيير عنوان بريدك الإلكتروني هنا. لاستخدام عنوان آخر، ألغِ هذا التسجيل وسجّل من جديد به، أو راسل المنظمين.",
      button: "احفظ بياناتي",
      errorsTitle: "يُرجى تصحيح ما يلي",
    },
    yourDetails: "بياناتك",
    done: {
      switchedConfirmed: "تم: لديك مقعد في جلستك الجديدة. أرسلنا إليك دعوتها بالبريد الإلكتروني.",
      switchedWaitlisted: "تم: الجلسة التي اخترتها مكتملة، لذا أنت على قائمة انتظارها. أرسلنا إليك رسالة.",
      detailsSaved: "حُفظت بياناتك.",
    },
    thankYou: {
      nextSteps: "الخطوات التالية",
      confirmedSteps: [
        "ابحث عن رسالة التأكيد منا: فيها رابط الانضمام ودعوة لتقويمك.",
        "أضف الجلسة إلى تقويمك الآن، بالأزرار أدناه.",
        "احتفظ برابط تسجيلك: يمكنك من خلاله تغيير الجلسة أو تصحيح بياناتك أو الإلغاء.",
      ],
      waitlistedSteps: [
        "ابحث عن رسالتنا التي تؤكد مكانك على قائمة الانتظار.",
        "إذا شغر مقعد، سنرسل إليك رابط الانضمام ودعوة لتقويمك.",
        "احتفظ برابط تسجيلك: يمكنك من خلاله تغيير الجلسة أو تصحيح بياناتك أو الإلغاء.",
      ],
      manageLink: "اعرض تسجيلك أو عدّله",
      icsLink: "نزّل الدعوة (.ics)",
    },
    errors: {
      sessionClosed: {
        title: "هذه الجلسة غير متاحة",
        message: "أُلغيت الجلسة التي اخترتها أو بدأت بالفعل. اختر جلسة أخرى من صفحة تسجيلك.",
      },
      changed: {
        title: "تغيّر تسجيلك في الأثناء",
        message: "عُدّل تسجيلك بينما كنت على الصفحة. افتحها من جديد وأعد المحاولة.",
      },
      cancelled: {
        title: "هذا التسجيل ملغى",
        message: "لا يمكن تعديل تسجيل ملغى. يمكنك التسجيل من جديد من استمارة الفعالية.",
      },
      notConfirmed: {
        title: "لا مقعد لإضافته إلى التقويم",
        message: "الدعوة للتسجيلات المؤكدة فقط. إذا شغر مقعد لك، سنرسلها إليك بالبريد الإلكتروني.",
      },
    },
    back: "العودة إلى تسجيلك",
  },
};
