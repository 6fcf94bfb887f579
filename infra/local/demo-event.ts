import type { EventInput } from "../../shared/domain/event.ts";

// No AWS client is imported here: `npm start` prints these before the stack sets its variables.

export const demoEventId = "mc2cm-webinar-4";

const dayMs = 24 * 60 * 60 * 1000;

const uclg = { fr: "CGLU", en: "UCLG", ar: "منظمة المدن المتحدة والحكومات المحلية" };

/**
 * Both sessions follow the concept note: peer learning moderated by UCLG, then UNICEF's
 * presentation, then questions and answers (90 minutes in all).
 */
const agenda = [
  {
    title: {
      fr: "Apprentissage entre pairs : les villes partagent leurs pratiques",
      en: "Peer learning: cities share their practices",
      ar: "التعلم بين الأقران: المدن تتبادل ممارساتها",
    },
    minutes: 45,
    moderators: [{ name: uclg }],
  },
  {
    title: {
      fr: "Présentation de l’UNICEF : protéger les enfants et jeunes non accompagnés et séparés",
      en: "UNICEF presentation: protecting unaccompanied and separated children and young people",
      ar: "عرض اليونيسف: حماية الأطفال والشباب غير المصحوبين والمنفصلين عن ذويهم",
    },
    minutes: 25,
    speakers: [{ name: { fr: "UNICEF", en: "UNICEF", ar: "اليونيسف" } }],
  },
  {
    title: { fr: "Questions-réponses", en: "Questions and answers", ar: "أسئلة وأجوبة" },
    minutes: 20,
    moderators: [{ name: uclg }],
  },
];

/**
 * The demo event, from the concept note of Mediterranean City-to-City Migration (May 2019). Its
 * sessions are set three weeks after the first start, so registration and reminders are live.
 * Its texts are in French, English and Arabic (many invited officials read Arabic first); its
 * sessions are spoken in French and English only.
 */
export function demoEvent(firstStart: Date): EventInput {
  const day = new Date(firstStart.getTime() + 21 * dayMs).toISOString().slice(0, 10);
  return {
    title: {
      fr: "Webinaire 4 – Mineurs non accompagnés et séparés",
      en: "Webinar 4 – Unaccompanied and separated minors",
      ar: "الندوة الإلكترونية 4 – القاصرون غير المصحوبين والمنفصلون عن ذويهم",
    },
    // Markdown, like the mailings: the pages show the first paragraph and fold the rest.
    description: {
      fr: `Un dialogue entre autorités locales, société civile et organisations internationales sur la gouvernance locale des migrations, consacré aux enfants et jeunes non accompagnés et séparés. L’UNICEF et CGLU animent deux sessions, l’une en français, l’autre en anglais : une session d’apprentissage entre pairs modérée par CGLU, puis une présentation de l’UNICEF suivie de questions-réponses.

**Objectifs**

- répondre aux préoccupations des enfants et jeunes réfugiés et migrants dans les villes et identifier où un soutien supplémentaire est nécessaire ;
- donner aux villes participantes des outils et des modèles efficaces pour protéger les droits des enfants et jeunes non accompagnés et séparés ;
- parmi les défis et pratiques évoqués, mettre en avant ceux qui peuvent être repris dans le projet MC2CM.

Participation ouverte ; public idéal : représentants des gouvernements locaux et autres parties prenantes (société civile, monde universitaire) ; les représentants des services municipaux de la jeunesse et des affaires sociales sont encouragés à participer.`,
      en: `A dialogue between local authorities, civil society and international organisations on the local governance of migration, on unaccompanied and separated children and young people. UNICEF and UCLG lead two sessions, one in French and one in English: a peer-learning session moderated by UCLG, then a UNICEF presentation followed by questions and answers.

**Objectives**

- answer the concerns of refugee and migrant children and young people in cities and identify where more support is needed;
- give participating cities effective tools and models to protect the rights of unaccompanied and separated children and young people;
- among the challenges and practices raised, highlight those that can be taken into the MC2CM project.

Open participation; ideal audience: representatives of local governments and other stakeholders (civil society, academia); representatives of municipal youth and social affairs departments are encouraged to take part.`,
      ar: `حوار بين السلطات المحلية والمجتمع المدني والمنظمات الدولية حول الحوكمة المحلية للهجرة، مخصص للأطفال والشباب غير المصحوبين والمنفصلين عن ذويهم. تدير اليونيسف ومنظمة المدن المتحدة والحكومات المحلية (UCLG) جلستين، إحداهما بالفرنسية والأخرى بالإنجليزية: جلسة للتعلم بين الأقران تديرها منظمة المدن المتحدة والحكومات المحلية، ثم عرض تقدمه اليونيسف تليه جلسة أسئلة وأجوبة.

**الأهداف**

- الاستجابة لشواغل الأطفال والشباب اللاجئين والمهاجرين في المدن وتحديد المجالات التي تحتاج إلى مزيد من الدعم؛
- تزويد المدن المشاركة بأدوات ونماذج فعالة لحماية حقوق الأطفال والشباب غير المصحوبين والمنفصلين عن ذويهم؛
- إبراز ما يمكن إدراجه في مشروع الهجرة من مدينة إلى مدينة في المتوسط (MC2CM) من بين التحديات والممارسات المطروحة.

المشاركة مفتوحة؛ والجمهور المستهدف: ممثلو الحكومات المحلية وسائر الجهات المعنية (المجتمع المدني، والأوساط الأكاديمية)؛ ويُشجَّع ممثلو الإدارات البلدية المعنية بالشباب والشؤون الاجتماعية على المشاركة.`,
    },
    organiser: {
      name: {
        fr: "CGLU, l’UNICEF et la Commission d’inclusion sociale, de démocratie participative et des droits humains de CGLU (CISDPDH)",
        en: "UCLG, UNICEF and the UCLG Committee on Social Inclusion, Participatory Democracy and Human Rights (CSIPDHR)",
        ar: "منظمة المدن المتحدة والحكومات المحلية واليونيسف ولجنة الإدماج الاجتماعي والديمقراطية التشاركية وحقوق الإنسان التابعة للمنظمة",
      },
      email: "organisers@example.org",
    },
    branding: {
      // Placeholders (placehold.co draws the text given): an organiser replaces them with the
      // organisations' own logo files, on any https origin, which the pages' policy then allows.
      logos: [
        {
          url: "https://placehold.co/240x96/ffffff/003f72/png?text=UCLG",
          alt: { fr: "CGLU", en: "UCLG", ar: "منظمة المدن المتحدة والحكومات المحلية" },
          link: "https://www.uclg.org/",
        },
        {
          url: "https://placehold.co/240x96/ffffff/00689d/png?text=UNICEF",
          alt: { fr: "UNICEF", en: "UNICEF", ar: "اليونيسف" },
          link: "https://www.unicef.org/",
        },
        {
          url: "https://placehold.co/240x96/ffffff/5c2d91/png?text=CSIPDHR",
          alt: {
            fr: "Commission d’inclusion sociale, de démocratie participative et des droits humains de CGLU",
            en: "UCLG Committee on Social Inclusion, Participatory Democracy and Human Rights",
            ar: "لجنة الإدماج الاجتماعي والديمقراطية التشاركية وحقوق الإنسان",
          },
          link: "https://www.uclg-cisdp.org/",
        },
      ],
      // UNICEF's cyan (#1cabe2) reaches only 2.63:1 on white and is refused; this darker shade, 6.06:1.
      accentColour: "#00689d",
      bannerUrl: "https://placehold.co/1500x300/00689d/ffffff/png?text=MC2CM+%C2%B7+Webinar+4",
      bannerAlt: {
        fr: "Migration méditerranéenne de ville à ville (MC2CM), webinaire 4",
        en: "Mediterranean City-to-City Migration (MC2CM), webinar 4",
        ar: "الهجرة من مدينة إلى مدينة في المتوسط (MC2CM)، الندوة الإلكترونية 4",
      },
    },
    sessions: [
      {
        id: "fr",
        language: "fr",
        startsAt: `${day}T09:00:00Z`,
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/mc2cm-webinar-4-fr",
        capacity: 500,
        agenda,
      },
      {
        id: "en",
        language: "en",
        startsAt: `${day}T13:00:00Z`,
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/mc2cm-webinar-4-en",
        capacity: 500,
        agenda,
      },
    ],
    reminders: ["P7D", "P1D", "PT1H"],
    form: {
      examples: {
        organisation: {
          fr: "Ville de Tunis, Croix-Rouge libanaise, Université de Bologne.",
          en: "City of Tunis, Lebanese Red Cross, University of Bologna.",
          ar: "بلدية تونس، الصليب الأحمر اللبناني، جامعة بولونيا.",
        },
      },
      // Most of the network's registrants work around the Mediterranean.
      countryShortlist: {
        label: { fr: "Pays méditerranéens", en: "Mediterranean countries", ar: "بلدان البحر الأبيض المتوسط" },
        countries: "AL BA CY DZ EG ES FR GR HR IL IT LB LY MA MC ME MT PS SI SY TN TR".split(" "),
      },
      questions: [
        {
          id: "questions",
          type: "long-text",
          label: {
            fr: "Vos questions pour la séance de questions-réponses",
            en: "Your questions for the Q&A",
            ar: "أسئلتك لجلسة الأسئلة والأجوبة",
          },
          hint: {
            fr: "Les questions que vous aimeriez poser aux intervenants.",
            en: "Questions you would like to ask the speakers during the question-and-answer session.",
            ar: "الأسئلة التي تود طرحها على المتحدثين خلال جلسة الأسئلة والأجوبة.",
          },
          maxLength: 2000,
        },
        {
          id: "practice",
          type: "long-text",
          label: { fr: "Une pratique à partager", en: "A practice to share", ar: "ممارسة للتقاسم" },
          hint: {
            fr: "Décrivez en quelques lignes une pratique ou un projet que votre ville ou votre organisation aimerait présenter lors de la session d’apprentissage entre pairs.",
            en: "In a few lines, a practice or project that your city or organisation would like to present in the peer-learning session.",
            ar: "صِف في بضعة أسطر ممارسة أو مشروعًا تود مدينتك أو جهتك عرضه في جلسة التعلم بين الأقران.",
          },
          maxLength: 2000,
        },
      ],
    },
  };
}
