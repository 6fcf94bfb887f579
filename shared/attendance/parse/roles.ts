import { normalizeLabel } from "./columns.ts";

const alwaysStaff = new Set(
  [
    "Organizer",
    "Organiser",
    "Co-organizer",
    "Co-organiser",
    "Organisateur",
    "Co-organisateur",
    "Host",
    "Co-host",
    "Alternative host",
    "Hôte",
    "Co-hôte",
    "Panelist",
    "Panellist",
    "Panéliste",
  ].map(normalizeLabel),
);
const presenters = new Set(["Presenter", "Présentateur"].map(normalizeLabel));
const attendees = new Set(["Attendee", "Participant"].map(normalizeLabel));

/**
 * Which role cells mark the people running the session rather than attending it. Organizers, hosts
 * and panelists always do. Presenters only when the report also has attendees: a Teams or Webex
 * webinar gives speakers the presenter role, but in a plain Teams meeting everyone is a presenter
 * by default, and leaving them out would leave nobody.
 */
export function staffRoleTest(roles: Iterable<string>): (role: string) => boolean {
  const presentersAreStaff = [...roles].some((role) => attendees.has(normalizeLabel(role)));
  return (role) => {
    const key = normalizeLabel(role);
    return alwaysStaff.has(key) || (presentersAreStaff && presenters.has(key));
  };
}
