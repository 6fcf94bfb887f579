import type { WebinarEvent } from "../domain/event.ts";
import { getSessionCounters } from "./registration-store.ts";

/**
 * Seats left per session, as the form shows them: `null` for no limit, 0 while anyone waits
 * (a freed seat goes to the waitlist first, so a newcomer would be waitlisted too).
 */
export async function seatsLeft(event: WebinarEvent): Promise<Record<string, number | null>> {
  const entries = await Promise.all(
    event.sessions.map(async (session) => {
      if (session.capacity === undefined) return [session.id, null] as const;
      const { confirmed, waitlisted } = await getSessionCounters(event.id, session.id);
      return [session.id, waitlisted > 0 ? 0 : Math.max(0, session.capacity - confirmed)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
