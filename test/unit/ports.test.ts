import { mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reserve } from "../../infra/local/ports.ts";

describe("ports drawn for the local stacks of a test run", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("are given to one caller: another is refused it for ten minutes, then may have it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "convene-drawn-"));
    dirs.push(dir);

    expect(await reserve(40_001, dir)).toBe(true);
    expect(await reserve(40_001, dir)).toBe(false);
    expect(await reserve(40_002, dir)).toBe(true);
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await utimes(join(dir, "40001"), elevenMinutesAgo, elevenMinutesAgo);
    expect(await reserve(40_001, dir)).toBe(true);
    expect(await reserve(40_001, dir)).toBe(false);
  });
});
