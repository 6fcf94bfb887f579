import { createHmac } from "node:crypto";
import type { TransactItem } from "../aws/dynamo.ts";
import { tableName } from "../aws/dynamo.ts";
import { keys } from "../aws/table.ts";
import { normalizeEmail } from "../domain/registration.ts";
import { erasedAddressHashes, erasureHashKey } from "./privacy-store.ts";

/**
 * An erasure holds across attendance imports. The organisers' reports keep naming the people who
 * came, and a report imported after someone was erased (a second download of the Zoom report, the
 * Teams one) would list them again as "present but not registered", name and address, in the
 * import's summary, the console and the CLI. So the erasure leaves a mark of the address in the
 * event, and an import leaves out the people of its report so marked, unless registered again.
 *
 * What a mark holds, and why it is no personal data in clear: its key is HMAC-SHA256 of the
 * normalized address under a random 256-bit key of the event's own (`erasureHashKey`), and it holds
 * nothing else (no name, no registration id, no time) but its `expiresAt`. The address cannot be
 * read back from it nor listed: an HMAC is one-way, and guessing needs the key. Whoever holds the
 * key can test an address they already know, which is what an import does with the addresses of
 * its report (the key is in the table, under the same grants as the data):
 * a pseudonym, kept for the erasure's sake only. A key per event keeps one person's marks in two
 * events apart. A mark lives as long as the event's data (`expiresAt` = its retention end, moved
 * by the retention walk): past that end the event's attendance records are deleted too, and an
 * import is refused (`importAttendance`).
 */
const hashOf = (key: Buffer, email: string) =>
  createHmac("sha256", key).update(normalizeEmail(email)).digest("base64url");

/**
 * The item that marks `email` as erased from the event, for the erasure's first transaction
 * (`markErasing`): the mark and the removal of the person are one write. Creates the event's key
 * on its first erasure.
 */
export async function erasedAddressItem(
  eventId: string,
  email: string,
  expiresAt: number,
): Promise<TransactItem> {
  const key = (await erasureHashKey(eventId, true)) as Buffer;
  return {
    Put: { TableName: tableName, Item: { ...keys.erasedAddress(eventId, hashOf(key, email)), expiresAt } },
  };
}

/** Which of `emails` (as the report gives them) were erased from the event: one Get and one Query. */
export async function erasedAmong(eventId: string, emails: readonly string[]): Promise<Set<string>> {
  const [key, hashes] = await Promise.all([erasureHashKey(eventId, false), erasedAddressHashes(eventId)]);
  if (!key || hashes.size === 0) return new Set();
  return new Set(emails.filter((email) => hashes.has(hashOf(key, email))));
}
