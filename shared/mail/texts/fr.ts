import type { MailTexts } from "./mail-texts.ts";

/** French puts a no-break space before « : ; ! ? » and inside guillemets, so lines never break there. */
const nb = "\u00a0";

export const fr: MailTexts = {
  kinds: {
    confirmation: {
      subject: ({ title }) => `Inscription confirmée${nb}: ${title}`,
      paragraphs: () => ["Votre inscription est confirmée. Au plaisir de vous retrouver en ligne."],
    },
    promotion: {
      subject: ({ title }) => `Une place s’est libérée${nb}: votre inscription est confirmée – ${title}`,
      paragraphs: () => [
        `Bonne nouvelle${nb}: une place s’est libérée pour vous.`,
        "Votre inscription est confirmée. Au plaisir de vous retrouver en ligne.",
      ],
    },
    waitlist: {
      subject: ({ title }) => `Liste d’attente${nb}: ${title}`,
      paragraphs: () => [
        `La session que vous avez choisie est complète${nb}: votre demande est placée sur liste d’attente.`,
        "Si une place se libère, nous vous enverrons un message avec le lien de connexion. D’ici là, vous n’avez rien à faire.",
      ],
    },
    cancellation: {
      subject: ({ title }) => `Inscription annulée${nb}: ${title}`,
      paragraphs: () => [
        "Votre inscription a bien été annulée.",
        "S’il s’agit d’une erreur, il vous suffit de répondre à ce message.",
      ],
    },
    switched: {
      subject: ({ title }) => `Changement de session${nb}: ${title}`,
      paragraphs: () => [
        "Comme vous l’avez demandé, vous avez quitté la session ci-dessous pour une autre session de cet événement.",
        `La mise à jour jointe retire de votre agenda la session que vous avez quittée${nb}; la nouvelle session vous parvient dans un message séparé.`,
      ],
    },
    update: {
      subject: ({ title }) => `Changement de votre session${nb}: ${title}`,
      paragraphs: ({ previousTime, joinLinkChanged }) => [
        "La session à laquelle vous êtes inscrit a changé. Voici ses informations à jour.",
        ...(previousTime ? [`Elle était prévue le ${previousTime}.`] : []),
        ...(joinLinkChanged
          ? [`Le lien de connexion a changé${nb}: merci d’utiliser le nouveau lien ci-dessous.`]
          : []),
      ],
    },
    "waitlist-update": {
      subject: ({ title }) => `Changement de la session que vous attendez${nb}: ${title}`,
      paragraphs: ({ previousTime }) => [
        "La session pour laquelle vous êtes en liste d’attente a changé. Voici ses informations à jour.",
        ...(previousTime ? [`Elle était prévue le ${previousTime}.`] : []),
        `Vous êtes toujours en liste d’attente${nb}: si une place se libère, nous vous enverrons le lien de connexion.`,
      ],
    },
    "session-cancelled": {
      subject: ({ title }) => `Session annulée${nb}: ${title}`,
      paragraphs: ({ otherSessionsUrl }) => [
        `Nous sommes désolés${nb}: les organisateurs ont annulé votre session.`,
        ...(otherSessionsUrl
          ? [`Vous pouvez vous inscrire à une autre session de cet événement${nb}: ${otherSessionsUrl}`]
          : []),
      ],
    },
    reminder: {
      subject: ({ title, startsIn }) => `Rappel${nb}: «${nb}${title}${nb}» commence ${startsIn}`,
      paragraphs: ({ startsIn }) => [`Votre session commence ${startsIn}. Voici le lien pour la rejoindre.`],
    },
  },
  greeting: (firstName) => `Bonjour ${firstName},`,
  colon: `${nb}: `,
  labels: {
    localTime: "Date et heure",
    utcTime: "En heure UTC",
    duration: "Durée",
    joinLink: "Lien de connexion",
    organiser: "Organisé par",
  },
  joinButton: "Rejoindre le webinaire",
  agenda: {
    title: "Programme",
    moderators: (count) => (count === 1 ? "Modération" : "Modérateurs et modératrices"),
    speakers: (count) => (count === 1 ? "Intervention" : "Intervenants et intervenantes"),
  },
  joinNote: `Ce lien est réservé aux personnes inscrites${nb}; merci de ne pas le partager.`,
  calendarNote: {
    add: "L’invitation jointe ajoute la session à votre agenda.",
    remove: "La mise à jour jointe retire la session de votre agenda.",
  },
  manage: { active: "Consulter ou annuler votre inscription", cancelled: "Consulter votre inscription" },
  signOff: "Bien cordialement,",
  footer: ({ title }) => `Vous recevez ce message à la suite de votre inscription à «${nb}${title}${nb}».`,
};
