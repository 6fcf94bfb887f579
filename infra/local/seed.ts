import { eventInputSchema } from "../../shared/domain/event.ts";
import { findEvent } from "../../shared/events/event-store.ts";
import { putEvent } from "../../shared/events/put-event.ts";
import { demoEvent, demoEventId } from "./demo-event.ts";

/** Puts the demo event in place unless it exists: a restart never moves or overwrites it. */
export async function seedDemoEvent(now: Date): Promise<void> {
  if (await findEvent(demoEventId)) return;
  await putEvent(demoEventId, eventInputSchema.parse(demoEvent(now)), now);
}
