import { ConflictError, ValidationError } from "../domain/errors.ts";
import { registrationInputSchemaFor } from "../domain/registration.ts";
import { assertRegistrationOpen, fieldMode, type StandardField } from "../domain/registration-form.ts";
import { getEvent } from "../events/event-store.ts";
import { correctionVersionField } from "./correction-version.ts";
import { registrationForToken } from "./manage-link.ts";
import { moveToSession, registrationChanged } from "./move.ts";
import { type Correction, correctRegistration } from "./registration-store.ts";

/**
 * A registrant moves to another session from their manage page (`moveToSession`, as the
 * registrant): a seat there, else its waiting list; the new session's mail and invite, and for a
 * seat left behind, the CANCEL of the old entry and the seat to the old session's waiting list.
 */
export async function switchSession(
  registrationId: string,
  token: string | undefined,
  toSessionId: string,
  now = new Date(),
) {
  const registration = await registrationForToken(registrationId, token);
  const event = await getEvent(registration.eventId);
  // A switch takes a seat as registering does: not outside the event's registration window.
  assertRegistrationOpen(event, now);
  return moveToSession(registration, event, toSessionId, "registrant", now);
}

/**
 * A registrant corrects their details from their manage page: their name, the standard fields the
 * event asks and the answers to its questions, checked by the very schema of the event's form
 * (`registrationInputSchemaFor`: same rules, same messages), with the session, email and consent
 * taken as stored (an email is never changed here). One conditional write on the registration as
 * read (`correctRegistration`): a 409 if it changed meanwhile, a 400 naming the fields if invalid.
 */
export async function correctDetails(
  registrationId: string,
  token: string | undefined,
  body: Record<string, string>,
  now = new Date(),
) {
  const registration = await registrationForToken(registrationId, token);
  if (registration.status === "cancelled") {
    throw new ConflictError("registration-cancelled", "a cancelled registration cannot be corrected");
  }
  // The form carries the version it showed: a correction made on an older page is refused, not
  // written over the newer details (a client without it gets the check against what is read here).
  const { [correctionVersionField]: shownVersion, ...fields } = body;
  if (shownVersion !== undefined && shownVersion !== registration.updatedAt) throw registrationChanged();
  const event = await getEvent(registration.eventId);
  const parsed = registrationInputSchemaFor(event.form).safeParse({
    ...fields,
    sessionId: registration.sessionId,
    email: registration.email,
    consent: true,
  });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const input = parsed.data;
  // A field the form does not ask keeps what is stored; one it asks and was emptied is removed.
  const asked = (field: StandardField) => fieldMode(event.form, field) !== "off";
  const correction: Correction = {
    firstName: input.firstName,
    lastName: input.lastName,
    ...(asked("organisation") && { organisation: input.organisation }),
    ...(asked("organisationType") && { organisationType: input.organisationType }),
    ...(asked("country") && { country: input.country }),
    ...(asked("city") && { city: input.city }),
    ...(asked("jobTitle") && { jobTitle: input.jobTitle }),
    ...(asked("department") && { department: input.department }),
    ...((event.form?.questions ?? []).length > 0 && { answers: input.answers }),
  };
  if (!(await correctRegistration(registration, correction, now))) throw registrationChanged();
  return registration;
}
