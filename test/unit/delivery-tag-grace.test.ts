import { describe, expect, it } from "vitest";
import { keys } from "../../shared/aws/table.ts";
import { deliveryKeyOfTag, deliveryTag, deliveryTagName } from "../../shared/deliveries/delivery-tag.ts";
import { claimTimes } from "../../shared/deliveries/take-over.ts";

describe("the SES tag naming a delivery record", () => {
  it("is tag-safe and decodes back to the very key, whatever the key holds", () => {
    const samples = [
      keys.delivery("01JDX5Q8W2-reg", "confirmation", 1),
      keys.delivery("r1", "reminder-fr-P1D", 2),
      keys.mailingDelivery("m_1", "8f14e45f-ceea-467f-a8d6-4b5e7d1f2a3c"),
      { pk: "REG#é ü@x.y%_25__", sk: "MAIL#update-日本-3#1" },
    ];
    for (const key of samples) {
      const tag = deliveryTag(key);

      expect(tag.name).toBe(deliveryTagName);
      // What the strictest of SES's APIs (v1, and the local SES) accepts in a tag value.
      expect(tag.value).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
      expect(deliveryKeyOfTag(tag.value)).toEqual(key);
    }
    expect(deliveryTag(keys.delivery("abc", "confirmation", 1)).value).toBe(
      "REG_23abc__MAIL_23confirmation_231",
    );
  });

  it("names no record for a value it did not write, and refuses a key too long for a tag", () => {
    for (const value of ["", "plain", "REG_23a", "a__b__c", "REG_2__x", "REG_zz__x", "REG_FF__x"]) {
      expect(deliveryKeyOfTag(value)).toBeUndefined();
    }
    expect(() => deliveryTag({ pk: `REG#${"x".repeat(250)}`, sk: "MAIL#confirmation#1" })).toThrow(
      /too long/,
    );
  });
});

describe("when a dead sender's claim may be taken over", () => {
  const leaseUntil = "2026-11-29T12:00:00.000Z";
  const at = (iso: string) => new Date(iso);
  const options = { graceMs: 5_000, epoch: 0 };

  it("waits the grace after the lease's end for SES's send event, when the mail may have gone out", () => {
    expect(claimTimes({ state: "sending", leaseUntil }, options)).toEqual({
      leaseEnded: at(leaseUntil),
      takeOverAt: at("2026-11-29T12:00:05.000Z"),
    });
  });

  it("takes over at the lease's end a claim its sender released knowing nothing went out", () => {
    expect(claimTimes({ state: "sending", leaseUntil, unsent: true }, options).takeOverAt).toEqual(
      at(leaseUntil),
    );
  });

  it("counts a lease of an earlier run of the local runtime as ended when this run started", () => {
    const epoch = Date.parse("2026-11-29T11:00:00.000Z");
    const earlier = { state: "sending" as const, leaseUntil, leaseEpoch: epoch - 60_000 };

    expect(claimTimes(earlier, { graceMs: 5_000, epoch })).toEqual({
      leaseEnded: new Date(epoch),
      takeOverAt: new Date(epoch + 5_000),
    });
    // This run's own lease ends when it says.
    expect(claimTimes({ ...earlier, leaseEpoch: epoch }, { graceMs: 5_000, epoch }).leaseEnded).toEqual(
      at(leaseUntil),
    );
  });
});
