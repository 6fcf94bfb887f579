/**
 * Where a bulk send's time goes, from the outbox's times of acceptance alone: the gaps between one
 * send and the next, bucketed, with what each bucket costs against the pace's even spacing. A run
 * at the full rate has nearly every gap at `1000 / rate` ms; the time over that spacing, summed per
 * bucket, says which pauses (page boundaries, hand-ons, slot waits) cost the missing share.
 */
import { readdirSync, readFileSync } from "node:fs";
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import type { slotCounts } from "../shared/mail/mailer.ts";

const bucketEdgesMs = [0, 5, 10, 15, 20, 30, 50, 100, 250, 1000, Number.POSITIVE_INFINITY];

export function gapHistogram(times: readonly number[], maxSendRate: number): string {
  const sorted = [...times].sort((a, b) => a - b);
  const spacingMs = 1000 / maxSendRate;
  const gaps = sorted.slice(1).map((time, index) => time - (sorted[index] ?? time));
  const totalMs = (sorted.at(-1) ?? 0) - (sorted[0] ?? 0);
  const idealMs = gaps.length * spacingMs;
  const lines = [
    `inter-send gaps (${gaps.length}, ${(totalMs / 1000).toFixed(2)} s first to last, ideal ${(idealMs / 1000).toFixed(2)} s at ${maxSendRate}/s):`,
    "  gap ms       count   time s   over the spacing s",
  ];
  for (const [index, low] of bucketEdgesMs.slice(0, -1).entries()) {
    const high = bucketEdgesMs[index + 1] ?? Number.POSITIVE_INFINITY;
    const inBucket = gaps.filter((gap) => gap >= low && gap < high);
    if (inBucket.length === 0) continue;
    const sum = inBucket.reduce((total, gap) => total + gap, 0);
    const over = inBucket.reduce((total, gap) => total + Math.max(0, gap - spacingMs), 0);
    const label = `${low}–${Number.isFinite(high) ? high : "∞"}`.padEnd(12);
    lines.push(
      `  ${label} ${String(inBucket.length).padStart(6)} ${(sum / 1000).toFixed(2).padStart(8)} ${(over / 1000).toFixed(2).padStart(10)}`,
    );
  }
  const long = gaps
    .map((gap, index) => ({ gap, after: index + 1 }))
    .filter(({ gap }) => gap >= 100)
    .map(({ gap, after }) => `${gap} ms after send ${after}`);
  if (long.length > 0) lines.push(`  gaps of 100 ms or more: ${long.join(", ")}`);
  return lines.join("\n");
}

type SlotCounts = typeof slotCounts;

/**
 * What became of the sending slots the stack's senders took since `before` (the local runtime runs
 * every function in this process, so the mailer's counts are the stack's): a slot dropped late
 * while sends waited is time the event loop or a take's answer lost, an unused one time no send
 * was ready for.
 */
export function slotsSince(before: SlotCounts, now: SlotCounts, loopBefore: EventLoopUtilization): string {
  const [used, late, unused] = (["used", "lateWithSendsWaiting", "unused"] as const).map(
    (name) => now[name] - before[name],
  );
  // How busy this process's event loop was meanwhile: near 1, it ran late for its slots because it
  // had no time to spare (CPU), not because it waited on round trips.
  const busy = performance.eventLoopUtilization(loopBefore).utilization;
  return (
    `sending slots: ${used} used, ${late} dropped late with sends waiting, ${unused} unused (no send waiting); ` +
    `event loop busy ${(busy * 100).toFixed(0)} % of the time`
  );
}

/**
 * With `CONVENE_MEASURE_CPU_PROFILE=<file>`, a V8 CPU profile of this process (the whole local
 * stack but DynamoDB Local) from now until the returned function is called: the sending window
 * alone, without the registrations before it. Open it in Chrome's DevTools, or sum its self time
 * per function. Without the variable, nothing is recorded.
 */
export async function profileSending(): Promise<() => Promise<void>> {
  const file = process.env.CONVENE_MEASURE_CPU_PROFILE;
  if (!file) return async () => {};
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the sending window: ${file}`);
  };
}

/** CPU seconds (user + system) a process has used, from `/proc` (Linux); undefined elsewhere. */
function procCpuSeconds(pid: number): number | undefined {
  try {
    // After the command's closing parenthesis: state, ppid, … utime (14th field), stime (15th).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The processes this one started (DynamoDB Local's JVM, through its launcher), from `/proc`. */
function childPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .filter(
        (name) =>
          readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.split(" ")[1] === String(process.pid),
      )
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU used from now until the returned function is called, per mail: by this process (the whole
 * local stack but DynamoDB Local) and by its children (DynamoDB Local). Unlike a rate, it holds on
 * a machine that others load: it says what each mail costs, not how long the CPU was shared.
 */
export function cpuPerMail(): (mails: number) => string {
  const before = process.cpuUsage();
  const children = childPids();
  const childBefore = children.map((pid) => procCpuSeconds(pid) ?? 0);
  return (mails) => {
    const own = process.cpuUsage(before);
    const ownMs = (own.user + own.system) / 1000;
    const childMs = children.reduce(
      (sum, pid, index) => sum + ((procCpuSeconds(pid) ?? 0) - (childBefore[index] ?? 0)) * 1000,
      0,
    );
    const per = (ms: number) => (ms / Math.max(1, mails)).toFixed(2);
    return `CPU per mail: ${per(ownMs)} ms in this process (the stack), ${per(childMs)} ms in DynamoDB Local; ${(ownMs / 1000).toFixed(1)} s and ${(childMs / 1000).toFixed(1)} s in all`;
  };
}
