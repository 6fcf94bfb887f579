import { mkdir, stat, utimes, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Per user: another user's files there could not be written.
const drawnDir = join(tmpdir(), `convene-ports-drawn-${process.getuid?.() ?? "user"}`);
const reservationMs = 10 * 60_000;

/**
 * A port nobody listens on now, and that no other caller of this function on the machine drew in
 * the last minutes. The kernel can hand one port to two processes that ask a moment apart (it is
 * free until one listens), and a stack listens seconds after it draws its ports (a Java to start,
 * the functions to load): a test run's stacks, starting side by side, drew the same port once. A
 * file per port drawn, made exclusively, tells the others; files older than the reservation are
 * reused.
 */
export async function freePort(): Promise<number> {
  await mkdir(drawnDir, { recursive: true }).catch(() => undefined);
  for (;;) {
    const port = await anyFreePort();
    if (await reserve(port)) return port;
  }
}

/** Whether this caller may have `port`: nobody drew it in the last {@link reservationMs}. */
export async function reserve(port: number, dir = drawnDir): Promise<boolean> {
  const file = join(dir, String(port));
  try {
    await writeFile(file, "", { flag: "wx" });
    return true;
  } catch (error) {
    // No reservation to be had (a temp dir not writable): the port as the kernel gave it.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return true;
    const drawnAt = (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
    if (Date.now() - drawnAt < reservationMs) return false;
    // An old drawing: this caller takes it over (two at once both may; the kernel rarely offers it twice).
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return true;
  }
}

async function anyFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A port of the local runtime that another program listens on: what `npm start` says then. */
export class PortInUseError extends Error {
  readonly code = "EADDRINUSE";
  constructor(
    readonly port: number,
    what: string,
  ) {
    super(
      `${what} could not listen on port ${port} (EADDRINUSE): another program listens there ` +
        `(perhaps what an earlier npm start left behind when it was killed alone; \`lsof -i :${port}\` ` +
        "names it). Stop it, or choose other ports: CONVENE_PORT, CONVENE_DYNAMODB_PORT, " +
        "CONVENE_SES_PORT, CONVENE_BUS_PORT (README, 'Configuration of the local runtime').",
    );
  }
}

/**
 * `server.listen`, resolving with the port it listens on, rejecting (not throwing later) if it
 * cannot. Port 0 is drawn by {@link freePort}, so that it is none another stack drew and has yet
 * to listen on.
 */
export async function listen(server: Server, port: number, host: string, what: string): Promise<number> {
  const chosen = port || (await freePort());
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(chosen, what) : error);
    server.once("error", failed);
    server.listen(chosen, host, () => {
      server.off("error", failed);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/**
 * Fails at once, with {@link PortInUseError}, when another program listens on one of these ports
 * (0: drawn later): before a start does anything else, rather than after its Java, its functions
 * and the last run's steps already ran.
 */
export async function ensurePortsFree(ports: { port: number; what: string }[]): Promise<void> {
  for (const { port, what } of ports) {
    if (!port) continue;
    const server = createServer();
    await listen(server, port, "127.0.0.1", what);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
