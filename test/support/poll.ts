/**
 * The pause before each next look of a wait: 50 ms at first, a quarter longer each time, at most
 * 250 ms. A read is often a request to the stack (a handler and a DynamoDB Local query, 15 to 30 ms
 * of CPU): at a fixed 100 ms, a wait of a mailing's or a reminder's end took a fifth of a core of
 * the two for its whole length. What comes within half a second is still seen at most 0.15 s late.
 */
export function* pollPauses(): Generator<number> {
  for (let pause = 50; ; pause = Math.min(250, pause * 1.25)) yield pause;
}
