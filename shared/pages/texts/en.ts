import type { PageTexts } from "./types.ts";

const updatesLabel = "Send me news of future webinars";

export const en: PageTexts = {
  languageName: "English",
  languageSwitchLabel: "Language",
  optional: "(optional)",
  errorPrefix: "Error:",
  errorTitlePrefix: "Error: ",
  form: {
    pageTitle: "Registration",
    kicker: "Webinar registration",
    organisedBy: (organisers) => `Organised by ${organisers}`,
    requiredNote: "All fields are required unless marked “optional”.",
    choose: "Choose…",
    submit: "Register",
    errorSummaryTitle: "Please correct the following to register",
    countryGroups: { shortlist: "Suggested countries", all: "All countries" },
    example: (examples) => `For example: ${examples}`,
    yes: "Yes",
    no: "No",
    notYetOpen: (opensAt) => ({
      title: "Registration is not open yet",
      message: `Registration for this webinar opens on ${opensAt}. Please come back then.`,
    }),
    closedSince: (closedAt) => ({
      title: "Registration is closed",
      message: `Registration for this webinar closed on ${closedAt}. Thank you for your interest.`,
    }),
    closesAt: (closesAt) => `Registration closes on ${closesAt}.`,
    sendAgain: "The form was sent very quickly after it opened: please check your answers and send it again.",
  },
  answers: {
    missing: "Answer this question.",
    missingChoice: "Choose an answer.",
    tooLong: (max) => `Your answer is too long: use at most ${max.toLocaleString("en")} characters.`,
    invalid: "Choose among the answers offered.",
  },
  fields: {
    sessionId: {
      label: "Choose a session",
      hint: "Times are shown in the organisers’ time zone and in Coordinated Universal Time (UTC).",
      error: "Choose a session.",
    },
    email: {
      label: "Email address",
      hint: "We will send your confirmation, the link to join and the reminders to this address.",
      error: "Enter an email address such as name@example.org.",
      missing: "Enter your email address.",
    },
    firstName: {
      label: "First name",
      error: "Your first name is too long: use at most 100 characters.",
      missing: "Enter your first name.",
    },
    lastName: {
      label: "Last name",
      error: "Your last name is too long: use at most 100 characters.",
      missing: "Enter your last name.",
    },
    organisation: {
      label: "Organisation",
      hint: "The organisation you work for.",
      error: "The name of your organisation is too long: use at most 200 characters.",
      missing: "Enter the name of your organisation.",
    },
    organisationType: { label: "Type of organisation", error: "Choose the type of your organisation." },
    jobTitle: {
      label: "Job title",
      error: "Your job title is too long: use at most 200 characters.",
      missing: "Enter your job title.",
    },
    department: {
      label: "Department or unit",
      error: "The name of your department is too long: use at most 200 characters.",
      missing: "Enter the name of your department.",
    },
    city: {
      label: "City",
      hint: "The city where you work.",
      error: "The name of your city is too long: use at most 100 characters.",
      missing: "Enter your city.",
    },
    country: {
      label: "Country",
      hint: "The country where you work.",
      error: "Choose your country from the list.",
    },
    language: {
      label: "Language of your emails",
      hint: "We will send your confirmation and reminders in this language.",
      error: "Choose a language from the list.",
    },
    updates: {
      label: updatesLabel,
      hint: "Without this box ticked, we only write to you about this webinar.",
      error: "Tick this box or leave it empty.",
    },
    consent: {
      label: "I have read the privacy notice above and agree that my data is used for this webinar",
      error: "To register, tick the box to accept the privacy notice.",
    },
  },
  organisationTypes: {
    "local-government": "Local government (city, municipality)",
    "regional-government": "Regional government (region, governorate, province)",
    "national-government": "National government or ministry",
    "civil-society": "Civil society (NGO, association)",
    "international-organisation": "International organisation",
    academia: "University or research",
    "private-sector": "Private sector",
    other: "Other",
  },
  session: {
    language: (languageName) => `Language: ${languageName}`,
    duration: (minutes) => `Duration: ${minutes} minutes`,
    seatsLeft: (seats) => (seats === 1 ? "1 seat left" : `${seats.toLocaleString("en")} seats left`),
    waitingList: "Full: you will be put on the waiting list",
  },
  privacy: {
    title: "Privacy notice",
    paragraphs: (organisers) => [
      `Your registration data is processed by the organisers of this webinar: ${organisers}. They use it only for this webinar: to register you, to send your confirmation, calendar invitation and reminders, and to follow up after the webinar (for example, to send you the presentations).`,
      "Your answers to the questions of this form help the organisers prepare the sessions.",
      "You can cancel your registration at any time with the link in your confirmation email.",
      `We only send you news of later webinars if you tick the box “${updatesLabel}”.`,
    ],
    version: (version) => `Version of this notice: ${version}`,
    fullNotice:
      "Read the full privacy notice: who is responsible, what is kept, for how long, and your rights",
  },
  registration: {
    session: "Session",
    name: "Name",
    organisation: "Organisation",
    email: "Email address",
    status: "Status",
    statuses: { confirmed: "Confirmed", waitlisted: "On the waiting list", cancelled: "Cancelled" },
  },
  thankYou: {
    confirmed: {
      title: "You are registered",
      message:
        "Thank you! Please check your inbox: we have sent you a confirmation email with a calendar invitation.",
    },
    waitlisted: {
      title: "You are on the waiting list",
      message:
        "This session is full, so you are on its waiting list. If a seat becomes free, we will let you know by email. You do not need to do anything else for now.",
    },
    alreadyRegistered: {
      title: "You are already registered",
      message:
        "This email address is already registered for this webinar. We send it the confirmation email again (at most once every ten minutes): please check your inbox.",
    },
    spamHint: "Nothing in your inbox after a few minutes? Please look in your spam or junk folder.",
  },
  manage: {
    pageTitle: "Your registration",
    cancelTitle: "Cancel your registration",
    cancelWarning:
      "If you cancel, you will no longer receive the link to join or the reminders, and your seat may go to someone on the waiting list. This cannot be undone: to attend after all, you would have to register again, if seats are still available.",
    cancelButton: "Cancel my registration",
    alreadyCancelled: "This registration has been cancelled.",
  },
  registerAgain: "Register again",
  cancelled: {
    title: "Your registration is cancelled",
    message:
      "You will no longer receive emails about this session. Thank you for letting us know. If you change your mind, you can register again while registration is open.",
  },
  messages: {
    registrationClosed: {
      title: "Registration is closed",
      message: "Registration for this webinar is closed. Thank you for your interest.",
    },
    invalidLink: {
      title: "This link does not work",
      message:
        "The link may be incomplete or out of date. Please open it again from your latest email about this webinar, or copy the whole address into your browser.",
    },
    notFound: {
      title: "Page not found",
      message: "There is no webinar at this address. Please check the link you followed.",
    },
    rateLimited: {
      title: "Too many requests",
      message:
        "We received many requests from your network or for your email domain in a short time. Please try again in an hour; nothing was recorded this time.",
    },
    busy: {
      title: "Many people at once",
      message:
        "Many people are using this service at this very moment and we could not finish your request. Please try again in a few seconds.",
    },
    error: {
      title: "Something went wrong",
      message: "Sorry, we could not complete your request. Please try again in a few minutes.",
    },
  },
  errorCode: (status) => `Error code: ${status}`,
};
