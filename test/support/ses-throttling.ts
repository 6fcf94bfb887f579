import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A proxy in front of a local SES that counts the Throttling answers its clients got: the only way
 * to tell pacing (no throttling) from retrying (throttled, then resent) from the outside. It can
 * also hold its clients' sends (`holdSends`) until the test lets them through, so that they reach
 * SES at a moment the test chose (right after another sender used up the second), however late a
 * loaded machine let the client send them.
 */
export async function throttlingCounter(target: string) {
  const seen = { throttled: 0 };
  /** While sends are held: each held send's way on to SES, and who waits for their number. */
  let held: { forwards: (() => void)[]; waiters: { count: number; resolve: () => void }[] } | undefined;

  const proxy = createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => {
      const forward = () => {
        // A connection of its own to SES for each request: a kept-alive one that SES closes after
        // five idle seconds can be closed just as it is reused, and the send fails (socket hang up).
        const upstream = request(new URL(req.url ?? "/", target), {
          method: req.method,
          headers: req.headers,
          agent: false,
        });
        upstream.on("error", (error) => res.writeHead(502).end(String(error)));
        upstream.on("response", (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            const answered = Buffer.concat(chunks);
            if (answered.includes("<Code>Throttling</Code>")) seen.throttled++;
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(answered);
          });
        });
        upstream.end(Buffer.concat(body));
      };
      // The query API names its action in the form body; other calls (GetSendQuota) pass.
      if (!held || !Buffer.concat(body).includes("Action=SendRawEmail")) return forward();
      held.forwards.push(forward);
      const count = held.forwards.length;
      for (const waiter of held.waiters.filter((waiting) => waiting.count <= count)) waiter.resolve();
    });
  });
  // The clients' connections stay open until they close them (or the proxy closes): the mailer's
  // SES client keeps its connection alive and sends nothing for seconds between two tests, and a
  // server that closes it after five idle seconds (Node's default) can do so just as the client
  // sends on it again, whose send then fails with "socket hang up" (its client makes one attempt).
  proxy.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /**
     * Holds every `SendRawEmail` from now on; `arrived(n)` resolves once n are held, `release()`
     * sends them on to SES together and lets later ones through.
     */
    holdSends() {
      const holding: NonNullable<typeof held> = { forwards: [], waiters: [] };
      held = holding;
      return {
        arrived: (count: number) =>
          new Promise<void>((resolve) => {
            if (holding.forwards.length >= count) resolve();
            else holding.waiters.push({ count, resolve });
          }),
        release() {
          held = undefined;
          for (const forward of holding.forwards) forward();
        },
      };
    },
    close: () => closeProxy(proxy),
  };
}

function closeProxy(proxy: Server): Promise<void> {
  return new Promise((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
}
