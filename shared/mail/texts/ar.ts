import type { MailTexts } from "./mail-texts.ts";

/**
 * Modern Standard Arabic, formal. `startsIn` comes from Intl in Arabic ("غدًا", "خلال ساعة
 * واحدة"), so it follows the verb "تبدأ" as a whole phrase.
 */
export const ar: MailTexts = {
  kinds: {
    confirmation: {
      subject: ({ title }) => `تأكيد التسجيل: ${title}`,
      paragraphs: () => ["تم تأكيد تسجيلك. نتطلع إلى لقائك عبر الإنترنت."],
    },
    promotion: {
      subject: ({ title }) => `شغر مقعد: تم تسجيلك في ${title}`,
      paragraphs: () => ["خبر سار: شغر مقعد، وهو لك.", "تم تأكيد تسجيلك. نتطلع إلى لقائك عبر الإنترنت."],
    },
    waitlist: {
      subject: ({ title }) => `قائمة الانتظار: ${title}`,
      paragraphs: () => [
        "الجلسة التي اخترتها مكتملة، لذا أُدرجت في قائمة الانتظار.",
        "إذا شغر مقعد، فسنرسل إليك رابط الانضمام عبر البريد الإلكتروني. وحتى ذلك الحين، لا يلزمك القيام بأي شيء.",
      ],
    },
    cancellation: {
      subject: ({ title }) => `إلغاء التسجيل: ${title}`,
      paragraphs: () => ["تم إلغاء تسجيلك.", "إذا حدث ذلك عن طريق الخطأ، فما عليك إلا الرد على هذه الرسالة."],
    },
    switched: {
      subject: ({ title }) => `غيّرت جلستك: ${title}`,
      paragraphs: () => [
        "بناءً على طلبك، غادرت الجلسة المذكورة أدناه إلى جلسة أخرى من هذه الفعالية.",
        "يزيل التحديث المرفق الجلسة التي غادرتها من تقويمك؛ وتصلك تفاصيل الجلسة الجديدة في رسالة منفصلة.",
      ],
    },
    update: {
      subject: ({ title }) => `تغيير في جلستك: ${title}`,
      paragraphs: ({ previousTime, joinLinkChanged }) => [
        "طرأ تغيير على الجلسة التي سجّلت فيها. إليك تفاصيلها المحدَّثة.",
        ...(previousTime ? [`كان موعدها المقرر: ${previousTime}.`] : []),
        ...(joinLinkChanged ? ["تغيّر رابط الانضمام: يُرجى استخدام الرابط الجديد أدناه."] : []),
      ],
    },
    "waitlist-update": {
      subject: ({ title }) => `تغيير في الجلسة التي تنتظرها: ${title}`,
      paragraphs: ({ previousTime }) => [
        "طرأ تغيير على الجلسة التي أنت مدرج في قائمة انتظارها. إليك تفاصيلها المحدَّثة.",
        ...(previousTime ? [`كان موعدها المقرر: ${previousTime}.`] : []),
        "ما زلت في قائمة الانتظار: إذا شغر مقعد، فسنرسل إليك رابط الانضمام عبر البريد الإلكتروني.",
      ],
    },
    "session-cancelled": {
      subject: ({ title }) => `إلغاء الجلسة: ${title}`,
      paragraphs: ({ otherSessionsUrl }) => [
        "نأسف لإبلاغك بأن الجهة المنظمة ألغت الجلسة التي سجّلت فيها.",
        ...(otherSessionsUrl ? [`يمكنك التسجيل في جلسة أخرى من هذه الفعالية: ${otherSessionsUrl}`] : []),
      ],
    },
    reminder: {
      subject: ({ title, startsIn }) => `تذكير: تبدأ الجلسة ${startsIn} – ${title}`,
      paragraphs: ({ startsIn }) => [`تبدأ جلستك ${startsIn}. إليك رابط الانضمام.`],
    },
  },
  greeting: (firstName) => `مرحبًا ${firstName}،`,
  colon: ": ",
  labels: {
    localTime: "التاريخ والوقت",
    utcTime: "بالتوقيت العالمي المنسق (UTC)",
    duration: "المدة",
    joinLink: "رابط الانضمام",
    organiser: "الجهة المنظمة",
  },
  joinButton: "انضم إلى الندوة الإلكترونية",
  agenda: {
    title: "البرنامج",
    moderators: (count) => (count === 1 ? "إدارة الجلسة" : "مديرو الجلسة"),
    speakers: (count) => (count === 1 ? "المتحدث" : "المتحدثون"),
  },
  joinNote: "هذا الرابط مخصص للمسجَّلين فقط؛ يُرجى عدم مشاركته.",
  calendarNote: {
    add: "تضيف الدعوة المرفقة الجلسة إلى تقويمك.",
    remove: "يزيل التحديث المرفق الجلسة من تقويمك.",
  },
  manage: { active: "عرض تسجيلك أو إلغاؤه", cancelled: "عرض تسجيلك" },
  signOff: "مع أطيب التحيات،",
  footer: ({ title }) => `تصلك هذه الرسالة لأنك سجّلت في «${title}».`,
};
