import busboy from "busboy";
import { ValidationError } from "./errors.ts";

/**
 * The one file of a `multipart/form-data` body (a browser form or `curl -F file=@report.csv`).
 * No file, or more than one, is a 400: which file was meant cannot be guessed.
 */
export function singleFileOf(body: Buffer, contentType: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const files: Buffer[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType } });
    } catch (error) {
      reject(
        new ValidationError([{ path: "body", message: "not a valid multipart/form-data body" }], {
          cause: error,
        }),
      );
      return;
    }
    parser.on("file", (_field, stream) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => files.push(Buffer.concat(chunks)));
    });
    parser.on("error", (error) =>
      reject(
        new ValidationError([{ path: "body", message: "not a valid multipart/form-data body" }], {
          cause: error,
        }),
      ),
    );
    parser.on("close", () => {
      const [file] = files;
      if (files.length === 1 && file) resolve(file);
      else
        reject(
          new ValidationError([{ path: "file", message: `send exactly one file (got ${files.length})` }]),
        );
    });
    parser.end(body);
  });
}
