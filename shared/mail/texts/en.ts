import type { MailTexts } from "./mail-texts.ts";

export const en: MailTexts = {
  kinds: {
    confirmation: {
      subject: ({ title }) => `Registration confirmed: ${title}`,
      paragraphs: () => ["Your registration is confirmed. We look forward to seeing you online."],
    },
    promotion: {
      subject: ({ title }) => `A seat became free: you are registered for ${title}`,
      paragraphs: () => [
        "Good news: a seat has become free, and it is yours.",
        "Your registration is confirmed. We look forward to seeing you online.",
      ],
    },
    waitlist: {
      subject: ({ title }) => `Waiting list: ${title}`,
      paragraphs: () => [
        "The session you chose is full, so you are on the waiting list.",
        "If a seat frees up, we will email you the link to join. Until then, there is nothing you need to do.",
      ],
    },
    cancellation: {
      subject: ({ title }) => `Registration cancelled: ${title}`,
      paragraphs: () => [
        "Your registration has been cancelled.",
        "If this is a mistake, just reply to this message.",
      ],
    },
    reminder: {
      subject: ({ title, startsIn }) => `Reminder: ${title} starts ${startsIn}`,
      paragraphs: ({ startsIn }) => [`Your session starts ${startsIn}. Here is the link to join.`],
    },
    switched: {
      subject: ({ title }) => `You changed session: ${title}`,
      paragraphs: () => [
        "As you asked, you have left the session below for another session of this event.",
        "The attached update removes the session you left from your calendar; the new session comes in a separate message.",
      ],
    },
    update: {
      subject: ({ title }) => `Change to your session: ${title}`,
      paragraphs: ({ previousTime, joinLinkChanged }) => [
        "The session you registered for has changed. Here are its details as they are now.",
        ...(previousTime ? [`It was planned for ${previousTime}.`] : []),
        ...(joinLinkChanged ? ["The join link has changed: please use the new one below."] : []),
      ],
    },
    "waitlist-update": {
      subject: ({ title }) => `Change to the session you are waiting for: ${title}`,
      paragraphs: ({ previousTime }) => [
        "The session you are on the waiting list for has changed. Here are its details as they are now.",
        ...(previousTime ? [`It was planned for ${previousTime}.`] : []),
        "You are still on the waiting list: if a seat frees up, we will email you the link to join.",
      ],
    },
    "session-cancelled": {
      subject: ({ title }) => `Session cancelled: ${title}`,
      paragraphs: ({ otherSessionsUrl }) => [
        "We are sorry: the session you registered for has been cancelled by the organisers.",
        ...(otherSessionsUrl
          ? [`You can register for another session of this event: ${otherSessionsUrl}`]
          : []),
      ],
    },
  },
  greeting: (firstName) => `Hello ${firstName},`,
  colon: ": ",
  labels: {
    localTime: "Date and time",
    utcTime: "In UTC",
    duration: "Duration",
    joinLink: "Join link",
    organiser: "Organised by",
  },
  joinButton: "Join the webinar",
  agenda: {
    title: "Agenda",
    moderators: (count) => (count === 1 ? "Moderator" : "Moderators"),
    speakers: (count) => (count === 1 ? "Speaker" : "Speakers"),
  },
  joinNote: "This link is for registrants only; please do not share it.",
  calendarNote: {
    add: "The attached invitation adds the session to your calendar.",
    remove: "The attached update removes the session from your calendar.",
  },
  manage: { active: "View or cancel your registration", cancelled: "View your registration" },
  signOff: "Best regards,",
  footer: ({ title }) => `You are receiving this message because you registered for “${title}”.`,
};
