import { describe, expect, it } from "vitest";
import { noticeTextHash, privacyNoticeVersion } from "../../shared/domain/privacy-notice.ts";

describe("the privacy notice's version", () => {
  it("names the notice's text as it is: a change of the text needs a new version", () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(
      privacyNoticeVersion.split(".")[1],
      `the notice's text changed: set privacyNoticeVersion to "${today}.${noticeTextHash()}"`,
    ).toBe(noticeTextHash());
  });

  it("has the form of a date and a hash, as consents store it", () => {
    expect(privacyNoticeVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.[0-9a-f]{8}$/);
  });
});
