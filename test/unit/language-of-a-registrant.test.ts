import { describe, expect, it } from "vitest";
import { registrationInputSchemaFor } from "../../shared/domain/registration.ts";
import { eventLanguages } from "../../shared/domain/registration-form.ts";
import { registrant as sample } from "../support/sample-event.ts";

/** A registration's input in `language`, or without one. */
const registrant = (language: string | undefined) => sample(language === undefined ? {} : { language });

describe("a registrant's language", () => {
  const offers = eventLanguages({ fr: "Webinaire", en: "Webinar" });
  const schema = registrationInputSchemaFor(undefined, offers);

  it("must be one the event offers: no Arabic mails around an event's French and English texts", () => {
    const result = schema.safeParse(registrant("ar"));

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["language", "must be one of this event's languages: fr, en"],
    ]);
  });

  it("is taken when offered, and left to the session's when blank or absent", () => {
    expect(schema.parse(registrant("en")).language).toBe("en");
    expect(schema.parse(registrant("")).language).toBeUndefined();
    expect(schema.parse(registrant(undefined)).language).toBeUndefined();
  });

  it("may be any language Convene speaks when the caller names no event's languages", () => {
    expect(registrationInputSchemaFor(undefined).parse(registrant("ar")).language).toBe("ar");
  });
});
