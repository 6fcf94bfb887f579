import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./ports.ts";

/** The four ports of a stack: the API (and console), DynamoDB Local, the local SES and the bus. */
export interface StackPorts {
  http: number;
  dynamo: number;
  ses: number;
  bus: number;
}

/** Four free ports, so that a spawned stack runs beside any other (the tests', a developer's). */
export async function freeStackPorts(): Promise<StackPorts> {
  return { http: await freePort(), dynamo: await freePort(), ses: await freePort(), bus: await freePort() };
}

export interface SpawnOptions {
  dataDir: string;
  ports: StackPorts;
  /** The environment the process starts from (default: this process's); the settings below win. */
  env?: NodeJS.ProcessEnv;
  adminToken?: string;
  sesMaxSendRate?: number;
  /** Seconds of the local scheduler's tick (reminders, sweeps); `npm start`'s own default otherwise. */
  scheduleSeconds?: number;
  /** Also write what it prints on stderr to this process's (its errors, in a test run's output). */
  echoErrors?: boolean;
  /** Until `npm start` says it is ready; its Java and functions start slowly on a busy machine. */
  startTimeoutMs?: number;
}

export interface SpawnedStack {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  api: string;
  /** `kill -9` of the whole process group (Java included), as a crash would; resolves once it exited. */
  crash(): Promise<void>;
  /** SIGTERM, as Ctrl-C; resolves with the exit code, after a SIGKILL of the group if it hangs. */
  stop(timeoutMs?: number): Promise<number | null>;
}

const ready = "Press Ctrl-C to stop";

/**
 * `npm start` (infra/local/start.ts) as a real process in its own process group, so that a crash
 * can kill it with DynamoDB Local's Java as a whole. Resolves once it prints that it is ready (the
 * demo event seeded, every port serving); rejects with what it printed if it exits before. Used by
 * the tests that need `npm start` itself (its output, kill -9, a start again on the same data dir)
 * or a stack in a process of their own (the browser tests: two stacks in one process would share
 * the handlers' modules, whose AWS clients point at the first stack's services), and by scripts.
 */
export async function spawnStack(options: SpawnOptions): Promise<SpawnedStack> {
  const { ports } = options;
  const settings: Record<string, string | undefined> = {
    CONVENE_DATA_DIR: options.dataDir,
    CONVENE_PORT: String(ports.http),
    CONVENE_DYNAMODB_PORT: String(ports.dynamo),
    CONVENE_SES_PORT: String(ports.ses),
    CONVENE_BUS_PORT: String(ports.bus),
    CONVENE_ADMIN_TOKEN: options.adminToken,
    CONVENE_SES_MAX_SEND_RATE: options.sesMaxSendRate?.toString(),
    CONVENE_LOCAL_SCHEDULE_SECONDS: options.scheduleSeconds?.toString(),
  };
  const env = { ...(options.env ?? process.env) };
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) env[name] = value;
  const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  if (options.echoErrors) child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const running = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid && running()) process.kill(-child.pid, signal);
  };
  const timeoutMs = options.startTimeoutMs ?? 90_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup("SIGKILL");
      reject(new Error(`npm start was not ready within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code ?? signal}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    api: `http://127.0.0.1:${ports.http}`,
    async crash() {
      if (!running()) return;
      killGroup("SIGKILL");
      await exited;
    },
    async stop(timeoutMs = 15_000) {
      if (running()) child.kill("SIGTERM");
      const stopped = await Promise.race([exited, sleep(timeoutMs)]);
      if (!stopped) {
        killGroup("SIGKILL");
        await exited;
      }
      return child.exitCode;
    },
  };
}
