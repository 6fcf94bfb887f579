import type { PageTexts } from "./types.ts";

/** French typography: a non-breaking space before « : ! ? » and inside guillemets, so no line starts with them. */
const nbsp = "\u00a0";
const updatesLabel = "Je souhaite recevoir des nouvelles des prochains webinaires";

export const fr: PageTexts = {
  languageName: "Français",
  languageSwitchLabel: "Langue",
  optional: "(facultatif)",
  errorPrefix: `Erreur${nbsp}:`,
  errorTitlePrefix: `Erreur${nbsp}: `,
  form: {
    pageTitle: "Inscription",
    kicker: "Inscription au webinaire",
    organisedBy: (organisers) => `Organisé par ${organisers}`,
    requiredNote: `Tous les champs sont obligatoires, sauf ceux marqués «${nbsp}facultatif${nbsp}».`,
    choose: "Choisissez…",
    submit: "Je m’inscris",
    errorSummaryTitle: "Pour vous inscrire, corrigez les points suivants",
    countryGroups: { shortlist: "Pays proposés", all: "Tous les pays" },
    example: (examples) => `Par exemple${nbsp}: ${examples}`,
    yes: "Oui",
    no: "Non",
    notYetOpen: (opensAt) => ({
      title: "Les inscriptions ne sont pas encore ouvertes",
      message: `Les inscriptions à ce webinaire ouvrent le ${opensAt}. Merci de revenir à cette date.`,
    }),
    closedSince: (closedAt) => ({
      title: "Les inscriptions sont closes",
      message: `Les inscriptions à ce webinaire ont fermé le ${closedAt}. Merci de votre intérêt.`,
    }),
    closesAt: (closesAt) => `Les inscriptions ferment le ${closesAt}.`,
    sendAgain: `Le formulaire a été envoyé très vite après son ouverture${nbsp}: vérifiez vos réponses et envoyez-le à nouveau.`,
  },
  answers: {
    missing: "Répondez à cette question.",
    missingChoice: "Choisissez une réponse.",
    tooLong: (max) =>
      `Votre réponse est trop longue${nbsp}: ${max.toLocaleString("fr")}${nbsp}caractères au plus.`,
    invalid: "Choisissez parmi les réponses proposées.",
  },
  fields: {
    sessionId: {
      label: "Choisissez une session",
      hint: "Les horaires sont indiqués dans le fuseau horaire des organisateurs et en temps universel (UTC).",
      error: "Choisissez une session.",
    },
    email: {
      label: "Adresse e-mail",
      hint: "Nous y enverrons votre confirmation, le lien de connexion et les rappels.",
      error: "Saisissez une adresse e-mail valide, par exemple nom@exemple.org.",
      missing: "Saisissez votre adresse e-mail.",
    },
    firstName: {
      label: "Prénom",
      error: `Votre prénom est trop long${nbsp}: 100 caractères au plus.`,
      missing: "Saisissez votre prénom.",
    },
    lastName: {
      label: "Nom",
      error: `Votre nom est trop long${nbsp}: 100 caractères au plus.`,
      missing: "Saisissez votre nom.",
    },
    organisation: {
      label: "Organisation",
      hint: "L’organisation pour laquelle vous travaillez.",
      error: `Le nom de votre organisation est trop long${nbsp}: 200 caractères au plus.`,
      missing: "Saisissez le nom de votre organisation.",
    },
    organisationType: { label: "Type d’organisation", error: "Choisissez le type de votre organisation." },
    jobTitle: {
      label: "Fonction",
      error: `Votre fonction est trop longue${nbsp}: 200 caractères au plus.`,
      missing: "Saisissez votre fonction.",
    },
    department: {
      label: "Service ou direction",
      error: `Le nom de votre service est trop long${nbsp}: 200 caractères au plus.`,
      missing: "Saisissez le nom de votre service.",
    },
    city: {
      label: "Ville",
      hint: "La ville où vous travaillez.",
      error: `Le nom de votre ville est trop long${nbsp}: 100 caractères au plus.`,
      missing: "Saisissez votre ville.",
    },
    country: {
      label: "Pays",
      hint: "Le pays où vous travaillez.",
      error: "Choisissez votre pays dans la liste.",
    },
    language: {
      label: "Langue de vos e-mails",
      hint: "Nous vous enverrons la confirmation et les rappels dans cette langue.",
      error: "Choisissez une langue dans la liste.",
    },
    updates: {
      label: updatesLabel,
      hint: "Sans cette case cochée, nous ne vous écrirons qu’au sujet de ce webinaire.",
      error: "Cochez cette case ou laissez-la vide.",
    },
    consent: {
      label:
        "J’ai lu la notice de confidentialité ci-dessus et j’accepte que mes données soient utilisées pour ce webinaire",
      error: "Pour vous inscrire, acceptez la notice de confidentialité en cochant la case.",
    },
  },
  organisationTypes: {
    "local-government": "Collectivité locale (ville, commune, municipalité)",
    "regional-government": "Collectivité régionale (région, gouvernorat, province)",
    "national-government": "Gouvernement ou administration nationale",
    "civil-society": "Société civile (ONG, association)",
    "international-organisation": "Organisation internationale",
    academia: "Université ou recherche",
    "private-sector": "Secteur privé",
    other: "Autre",
  },
  session: {
    language: (languageName) => `Langue${nbsp}: ${languageName}`,
    duration: (minutes) => `Durée${nbsp}: ${minutes}${nbsp}minutes`,
    seatsLeft: (seats) =>
      seats === 1 ? "1 place restante" : `${seats.toLocaleString("fr")} places restantes`,
    waitingList: `Session complète${nbsp}: votre inscription sera placée sur liste d’attente`,
  },
  privacy: {
    title: "Protection de vos données",
    paragraphs: (organisers) => [
      `Vos données d’inscription sont traitées par les organisateurs de ce webinaire${nbsp}: ${organisers}. Elles servent uniquement à ce webinaire${nbsp}: votre inscription, l’envoi de la confirmation, de l’invitation d’agenda et des rappels, puis le suivi du webinaire (par exemple l’envoi des présentations).`,
      "Vos réponses aux questions de ce formulaire aident les organisateurs à préparer les sessions.",
      "Vous pouvez annuler votre inscription à tout moment grâce au lien figurant dans votre e-mail de confirmation.",
      `Nous ne vous enverrons de nouvelles des prochains webinaires que si vous cochez la case «${nbsp}${updatesLabel}${nbsp}».`,
    ],
    version: (version) => `Version de la notice${nbsp}: ${version}`,
    fullNotice:
      "Lire la politique de confidentialité complète : qui est responsable, ce qui est conservé, combien de temps, et vos droits",
  },
  registration: {
    session: "Session",
    name: "Nom",
    organisation: "Organisation",
    email: "Adresse e-mail",
    status: "Statut",
    statuses: { confirmed: "Confirmée", waitlisted: "Sur liste d’attente", cancelled: "Annulée" },
  },
  thankYou: {
    confirmed: {
      title: "Votre inscription est confirmée",
      message: `Merci${nbsp}! Consultez votre boîte de réception${nbsp}: nous vous avons envoyé un e-mail de confirmation avec une invitation pour votre agenda.`,
    },
    waitlisted: {
      title: "Vous êtes sur la liste d’attente",
      message: `Cette session est complète, votre inscription est donc sur liste d’attente. Si une place se libère, nous vous préviendrons par e-mail. Vous n’avez rien d’autre à faire pour l’instant.`,
    },
    alreadyRegistered: {
      title: "Votre inscription existe déjà",
      message: `Cette adresse e-mail est déjà inscrite à ce webinaire. Nous lui renvoyons l’e-mail de confirmation (au plus une fois toutes les dix minutes)${nbsp}: consultez votre boîte de réception.`,
    },
    spamHint: `Rien reçu après quelques minutes${nbsp}? Regardez dans vos courriers indésirables (spam).`,
  },
  manage: {
    pageTitle: "Votre inscription",
    cancelTitle: "Annuler votre inscription",
    cancelWarning: `Si vous annulez, vous ne recevrez plus le lien de connexion ni les rappels, et votre place pourra être attribuée à une personne sur liste d’attente. L’annulation est définitive${nbsp}: pour participer malgré tout, il faudrait vous inscrire à nouveau, s’il reste des places.`,
    cancelButton: "Annuler mon inscription",
    alreadyCancelled: "Cette inscription a été annulée.",
  },
  registerAgain: "Vous inscrire à nouveau",
  cancelled: {
    title: "Votre inscription est annulée",
    message:
      "Vous ne recevrez plus d’e-mails au sujet de cette session. Merci de nous avoir prévenus. Si vous changez d’avis, vous pourrez vous inscrire à nouveau tant que les inscriptions sont ouvertes.",
  },
  messages: {
    registrationClosed: {
      title: "Les inscriptions sont closes",
      message: "Les inscriptions à ce webinaire sont closes. Merci de votre intérêt.",
    },
    invalidLink: {
      title: "Ce lien ne fonctionne pas",
      message:
        "Le lien est peut-être incomplet ou périmé. Ouvrez-le à nouveau depuis votre dernier e-mail concernant ce webinaire, ou copiez l’adresse complète dans votre navigateur.",
    },
    notFound: {
      title: "Page introuvable",
      message: "Aucun webinaire ne se trouve à cette adresse. Vérifiez le lien que vous avez suivi.",
    },
    rateLimited: {
      title: "Trop de demandes",
      message: `Nous avons reçu beaucoup de demandes depuis votre réseau ou pour votre domaine de messagerie en peu de temps. Veuillez réessayer dans une heure${nbsp}; rien n’a été enregistré cette fois.`,
    },
    busy: {
      title: "Beaucoup de monde en même temps",
      message:
        "Beaucoup de personnes utilisent ce service en ce moment même et votre demande n’a pas pu aboutir. Veuillez réessayer dans quelques secondes.",
    },
    error: {
      title: "Une erreur s’est produite",
      message:
        "Nous sommes désolés, votre demande n’a pas pu aboutir. Veuillez réessayer dans quelques minutes.",
    },
  },
  errorCode: (status) => `Code d’erreur${nbsp}: ${status}`,
};
