import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import type { SentMessage, SentRecord, SesServer, SesServerOptions } from "./ses-server.ts";

/**
 * The thread's code as one JavaScript module, built once per process: a worker inherits no loader
 * hooks (tsx's, under `npm start`), and registering one in each thread cost ~0.6 s of CPU at every
 * start of the stack. The project's modules are bundled, packages imported as they are (from
 * `node_modules`, which the file sits in); the file is named by its content, written whole and
 * renamed into place, so processes building it at once agree.
 */
let threadModule: Promise<URL> | undefined;
const threadModuleUrl = () => {
  threadModule ??= (async () => {
    const { outputFiles } = await build({
      entryPoints: [fileURLToPath(new URL("./ses-thread-worker.ts", import.meta.url))],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      logLevel: "silent",
    });
    const code = outputFiles[0]?.text ?? "";
    const dir = fileURLToPath(new URL("../../node_modules/.cache/convene/", import.meta.url));
    const file = join(dir, `ses-thread-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, code);
    await rename(partial, file);
    return pathToFileURL(file);
  })();
  return threadModule;
};

/**
 * The local SES in a thread of its own, as SES is a service of its own on AWS: the stack's one
 * process runs every function on its main thread, and the SES stand-in's share of each send (the
 * HTTP request, the message's checks and addresses, the outbox's and the events' files) would
 * otherwise be taken from the sender's. What SES calls back (its events for the bus, the crash
 * tests' hook) still runs on the main thread, in the order the thread asks for it and awaited
 * by it, so a send is answered only after its hook as before.
 */
export async function startSesServerThread(options: SesServerOptions): Promise<SesServer> {
  const { publishEvents, onSent, ...settings } = options;
  const worker = new Worker(await threadModuleUrl(), {
    workerData: {
      settings,
      publishes: publishEvents !== undefined,
      notifies: onSent !== undefined,
    } satisfies SesThreadData,
  });
  const calls = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  /** Why the thread is gone, once it is. */
  let ended: Error | undefined;
  let nextCall = 0;
  const call = (method: "eventsPublished" | "close") =>
    new Promise<void>((resolve, reject) => {
      if (ended) return reject(ended);
      const id = nextCall++;
      calls.set(id, { resolve, reject });
      worker.postMessage({ kind: "call", id, method } satisfies ToSesThread);
    });
  let recoveredNow = () => {};
  const recovered = new Promise<void>((resolve) => {
    recoveredNow = resolve;
  });

  const listening = new Promise<{ url: string; port: number }>((resolve, reject) => {
    worker.on("message", (message: FromSesThread) => {
      switch (message.kind) {
        case "listening":
          resolve(message);
          return;
        case "failed":
          reject(Object.assign(new Error(message.message), { stack: message.stack }));
          // Nothing more of it: a test's stack that failed to start must not keep a thread alive.
          void worker.terminate();
          return;
        case "recovered":
          recoveredNow();
          return;
        case "answer": {
          const waiting = calls.get(message.id);
          calls.delete(message.id);
          if (message.error === undefined) waiting?.resolve();
          else waiting?.reject(new Error(message.error));
          return;
        }
        case "publish":
        case "sent": {
          const hook =
            message.kind === "publish"
              ? () => publishEvents?.(message.record)
              : // A Buffer crosses threads as a plain Uint8Array.
                () => onSent?.({ ...message.message, raw: Buffer.from(message.message.raw) });
          Promise.resolve()
            .then(hook)
            .then(
              () => worker.postMessage({ kind: "answer", id: message.id } satisfies ToSesThread),
              (error: unknown) =>
                worker.postMessage({
                  kind: "answer",
                  id: message.id,
                  error: error instanceof Error ? error.message : String(error),
                } satisfies ToSesThread),
            );
          return;
        }
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) =>
      reject(new Error(`the local SES's thread ended (${code}) before listening`)),
    );
  });
  // A thread that fails or ends later is a bug of the stand-in: said, and its calls in flight
  // fail (a `close` then has nothing left to wait for).
  const end = (error: Error) => {
    ended ??= error;
    for (const waiting of calls.values()) waiting.reject(error);
    calls.clear();
  };
  worker.on("error", (error) => {
    console.error("[ses-server] the local SES's thread failed:", error);
    end(error);
  });
  worker.on("exit", (code) => end(new Error(`the local SES's thread ended (${code})`)));

  const { url, port } = await listening;
  return {
    url,
    port,
    recovered,
    eventsPublished: () => call("eventsPublished"),
    close: async () => {
      if (!ended) await call("close");
      await worker.terminate();
    },
  };
}

/** What the thread is started with: the server's options but its two callbacks, and whether each is given. */
export interface SesThreadData {
  settings: Omit<SesServerOptions, "publishEvents" | "onSent">;
  publishes: boolean;
  notifies: boolean;
}

/** The main thread's messages: answers to the thread's callbacks, and the server's own calls. */
export type ToSesThread =
  | { kind: "answer"; id: number; error?: string }
  | { kind: "call"; id: number; method: "eventsPublished" | "close" };

/** The thread's messages: its start, its callbacks (each answered by id), answers to calls. */
export type FromSesThread =
  | { kind: "listening"; url: string; port: number }
  | { kind: "failed"; message: string; stack?: string }
  | { kind: "recovered" }
  | { kind: "publish"; id: number; record: SentRecord }
  | { kind: "sent"; id: number; message: SentMessage }
  | { kind: "answer"; id: number; error?: string };
