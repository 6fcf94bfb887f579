import { describe, expect, it } from "vitest";
import { escapeHtml, markup } from "../../shared/html.ts";

describe("page markup", () => {
  it("escapes the five characters that can end a text or an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("escapes every interpolated string but inserts nested templates as they are, once", () => {
    const name = "Tom & <Jerry>";
    const item = markup`<li title="${name}">${name}</li>`;

    expect(String(markup`<ul>${[item, item]}${false}${undefined}${0}</ul>`)).toBe(
      `<ul>${'<li title="Tom &amp; &lt;Jerry&gt;">Tom &amp; &lt;Jerry&gt;</li>'.repeat(2)}0</ul>`,
    );
  });
});
