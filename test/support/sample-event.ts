import type { EventInput } from "../../shared/domain/event.ts";

const hourMs = 60 * 60 * 1000;

/** A valid two-session event, its sessions `startsInHours` from now; each test picks its own id. */
type SessionInput = EventInput["sessions"][number];

export function sampleEvent(
  startsInHours = 24 * 30,
): EventInput & { sessions: [SessionInput, SessionInput] } {
  const startsAt = (offsetHours: number) =>
    new Date(Date.now() + (startsInHours + offsetHours) * hourMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    title: { fr: "Webinaire test", en: "Test webinar" },
    description: { fr: "Une description", en: "A description" },
    organiser: { name: "UCLG and UNICEF", email: "organisers@example.org" },
    sessions: [
      {
        id: "fr",
        language: "fr",
        startsAt: startsAt(0),
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/fr-secret",
        capacity: 500,
      },
      {
        id: "en",
        language: "en",
        startsAt: startsAt(4),
        durationMinutes: 90,
        timezone: "Europe/Paris",
        joinUrl: "https://webinar.example.org/j/en-secret",
      },
    ],
    reminders: ["P7D", "P1D", "PT1H"],
  };
}

/** A fresh event id per test, so tests sharing the local stack never see each other's data. */
export const uniqueId = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** A valid registration body for the `fr` session, with a fresh email each time. */
export const registrant = (overrides: Record<string, unknown> = {}) => ({
  sessionId: "fr",
  email: `${uniqueId("person")}@example.org`,
  firstName: "Amina",
  lastName: "Benali",
  organisation: "Ville de Marseille",
  organisationType: "local-government",
  country: "FR",
  consent: true,
  ...overrides,
});
