import { describe, expect, inject, it } from "vitest";
import { ForbiddenError } from "../../shared/domain/errors.ts";
import { runPool } from "../../shared/pool.ts";
import { manageUrl } from "../../shared/registrations/links.ts";
import { registrationForToken } from "../../shared/registrations/manage-link.ts";
import { suppressionOf } from "../../shared/suppression/suppression-store.ts";
import { addressOfToken, unsubscribeUrl } from "../../shared/suppression/unsubscribe.ts";
import { registrant, sampleEvent, uniqueId } from "../support/sample-event.ts";
import { apiClient } from "./api-client.ts";

const { request } = apiClient();
const api = inject("api");

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Every token that differs from `token` by one character: each replaced by every other of the alphabet (and `.`), each deleted. */
function oneCharacterChanges(token: string): string[] {
  const changes: string[] = [];
  for (let index = 0; index < token.length; index++) {
    for (const character of `${base64url}.`) {
      if (character !== token[index])
        changes.push(token.slice(0, index) + character + token.slice(index + 1));
    }
    changes.push(token.slice(0, index) + token.slice(index + 1));
  }
  return changes;
}

/** Other spellings of the same bytes, or near enough that a lenient decoder reads them alike. */
function respellings(token: string): string[] {
  const mac = token.slice(token.lastIndexOf(".") + 1);
  const prefix = token.slice(0, token.length - mac.length);
  const standard = Buffer.from(mac, "base64url").toString("base64");
  const swapCase = (text: string) =>
    [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
  return [
    `${token}=`,
    `${token}==`,
    `${token}!`,
    `${token}.`,
    `${token} `,
    ` ${token}`,
    `${token}\n`,
    `${token}A`,
    `${prefix}${standard}`,
    `${prefix}${standard.replace(/=+$/, "")}`,
    `${prefix}${mac.replaceAll("-", "+").replaceAll("_", "/")}`,
    `${prefix}${mac}${"+/"}`,
    token.toUpperCase(),
    token.toLowerCase(),
    swapCase(token),
    `${prefix}${swapCase(mac)}`,
  ].filter((spelling) => spelling !== token);
}

/** The variants, among `variants`, that `check` does not refuse: each HTTP one is asked with a few in flight. */
async function accepted(variants: string[], check: (token: string) => Promise<number>) {
  const { settled } = await runPool(variants, 8, async (variant) => ({
    variant,
    status: await check(variant),
  }));
  return settled.flatMap((result) => {
    if (result.status === "rejected") return [{ variant: String(result.reason), status: 0 }];
    return result.value.status === 403 ? [] : [result.value];
  });
}

const statusOf = async (path: string) => {
  const response = await fetch(`${api}${path}`);
  await response.arrayBuffer();
  return response.status;
};

/** The status a use case's refusal maps to: 403 for `ForbiddenError`, else what it was. */
const refusal = async (use: () => Promise<unknown>) =>
  use().then(
    () => 200,
    (error: unknown) => (error instanceof ForbiddenError ? 403 : 500),
  );

/**
 * Every re-spelling, and every one-character change of the last three characters (where base64's
 * unused trailing bits let a lenient decoder read several characters alike: the changes once
 * accepted) and of the first, go through the HTTP API. All one-character changes of the whole
 * token (about 2,800 and 4,300) go through the use case the route calls, against the same
 * DynamoDB key: the same check, without 7,000 HTTP round trips in `npm test`.
 */
function httpVariants(token: string) {
  const ends = (variant: string) =>
    variant.length !== token.length || variant[0] !== token[0] || variant.slice(-3) !== token.slice(-3);
  const edgeChanges = oneCharacterChanges(token).filter(
    (variant, index, all) => ends(variant) && all.indexOf(variant) === index,
  );
  return [...respellings(token), ...edgeChanges.filter((variant) => variant.length === token.length)];
}

describe("signed tokens are accepted in their one canonical spelling only", () => {
  it("a manage link: every one-character change and re-spelling of its token gets 403", async () => {
    const eventId = uniqueId("tokens");
    const created = await request("PUT", `/admin/events/${eventId}`, { body: sampleEvent(), admin: true });
    expect(created.status).toBe(201);
    const registered = await request("POST", `/events/${eventId}/registrations`, { body: registrant() });
    const registrationId = registered.json.registrationId as string;
    const token = new URL(await manageUrl(api, registrationId)).searchParams.get("token") as string;
    const pathOf = (variant: string) =>
      `/registrations/${registrationId}?token=${encodeURIComponent(variant)}`;

    expect(await statusOf(pathOf(token))).toBe(200);
    expect(await accepted(httpVariants(token), (variant) => statusOf(pathOf(variant)))).toEqual([]);
    const everyChange = oneCharacterChanges(token);
    expect(everyChange.length).toBeGreaterThanOrEqual(43 * 63);
    expect(
      await accepted(everyChange, (variant) => refusal(() => registrationForToken(registrationId, variant))),
    ).toEqual([]);
  });

  it("an unsubscribe link: every one-character change and re-spelling of its token gets 403", async () => {
    const email = `${uniqueId("reader")}@example.org`;
    const token = new URL(await unsubscribeUrl(api, email)).searchParams.get("token") as string;
    const pathOf = (variant: string) => `/unsubscribe?token=${encodeURIComponent(variant)}`;

    expect(await statusOf(pathOf(token))).toBe(200);
    expect(await accepted(httpVariants(token), (variant) => statusOf(pathOf(variant)))).toEqual([]);
    const postAccepted = await accepted(respellings(token), async (variant) => {
      const response = await fetch(`${api}${pathOf(variant)}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      await response.arrayBuffer();
      return response.status;
    });
    expect(postAccepted).toEqual([]);
    expect(await suppressionOf(email)).toBeUndefined();
    expect(
      await accepted(oneCharacterChanges(token), (variant) => refusal(() => addressOfToken(variant))),
    ).toEqual([]);
  });
});
