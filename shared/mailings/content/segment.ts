import * as z from "zod";
import { slugSchema } from "../../domain/event.ts";
import { languageSchema, languages } from "../../domain/languages.ts";
import { registrationStatuses } from "../../domain/registration.ts";

/*
 * Who a mailing goes to and its named links: what a stored mailing holds besides its texts. Kept
 * apart from `mailing-input.ts`, whose text checks parse Markdown, so that the functions that only
 * read, list or count mailings do not bundle the Markdown parser (~50 KiB).
 */

/** Who a mailing goes to by attendance, once the session's attendance report is imported. */
export const segmentAttendances = ["attended", "absent", "any"] as const;

/**
 * Who a mailing goes to by their choice on the form: `opted-in`, only those who ticked "news of
 * later webinars". An announcement of another webinar must go to them only: the privacy notice
 * promises that news to nobody else. A mailing about this webinar (thanks, the recording) may go
 * to every registrant.
 */
export const segmentUpdates = ["any", "opted-in"] as const;

/** An empty list would select nobody, and a repeated value is a slip worth pointing out. */
const choiceList = <T extends string>(item: z.ZodType<T, T>) =>
  z
    .array(item)
    .min(1, "list at least one, or leave the field out")
    .refine((values) => new Set(values).size === values.length, "list each value once");

export const segmentSchema = z.object({
  attendance: z
    .enum(segmentAttendances, { error: `must be one of: ${segmentAttendances.join(", ")}` })
    .default("any"),
  /** Absent means every session of the event, including sessions added after the draft. */
  sessions: choiceList(slugSchema).max(20).optional(),
  statuses: choiceList(z.enum(registrationStatuses)).default(["confirmed"]),
  languages: choiceList(languageSchema).default([...languages]),
  updates: z.enum(segmentUpdates, { error: `must be one of: ${segmentUpdates.join(", ")}` }).default("any"),
});

export const linksSchema = z
  .record(slugSchema, z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_000), {
    // zod's own words for a bad key are "Invalid key in record": say what a link's name may be.
    error: (issue) =>
      issue.code === "invalid_key"
        ? "a link's name uses 2 to 64 characters: lowercase letters, digits and hyphens (e.g. replay-fr)"
        : undefined,
  })
  .refine((links) => Object.keys(links).length <= 20, "at most 20 links");
