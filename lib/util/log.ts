// Failures in the server's log as one line each: `console.error(message, err)` prints an error's
// stack over many lines, which a log collector (CloudWatch, Loki, `kubectl logs` into anything
// line-based) splits into as many unrelated events. Here the message, the error's name, code and
// message, its first stack frames and its causes stay on one line.

const MAX_FRAMES = 6;
const MAX_CAUSES = 3;

/** Log a failure on one line: `context: Name: message (code X) [at a < at b …] (cause: …)`. */
export function logError(context: string, err: unknown): void {
  console.error(`${context}: ${describeError(err)}`);
}

/** An error as one line of text: its name, code and message, its first stack frames and causes. */
export function describeError(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return oneLine(typeof err === "string" ? err : safeString(err));
  const code = (err as { code?: unknown }).code;
  let text = `${err.name}: ${oneLine(err.message)}`;
  if (typeof code === "string" || typeof code === "number") text += ` (code ${code})`;
  const frames = (err.stack ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at "));
  if (frames.length > 0) text += ` [${frames.slice(0, MAX_FRAMES).join(" < ")}${frames.length > MAX_FRAMES ? " < …" : ""}]`;
  if (err.cause !== undefined && depth < MAX_CAUSES) text += ` (cause: ${describeError(err.cause, depth + 1)})`;
  return text;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Line breaks and other control characters (a message may quote input) as spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}
