// A JSON object that names a key twice is ambiguous (RFC 8259 leaves what it means to the reader;
// JSON.parse keeps the last value silently). Request bodies are refused for it, as a query
// parameter given twice is.

type Container = { kind: "object"; keys: Set<string>; hasKey: boolean } | { kind: "array"; index: number; started: boolean };

const SCALAR_END = new Set([",", "]", "}", " ", "\t", "\n", "\r"]);

/**
 * The paths (`a.b.0.c`, as field errors name them) of every key an object in `text` names a
 * second time, in document order. `text` must be JSON that `JSON.parse` accepted. One pass with its
 * own stack, so nesting as deep as the body allows cannot overflow the call stack.
 */
export function duplicateKeyPaths(text: string): string[] {
  const found: string[] = [];
  const stack: Container[] = [];
  const path: string[] = [];
  let expectKey = false;
  // a value starts inside an array: it is that array's first element, or the one after a comma
  const beginValue = () => {
    const top = stack[stack.length - 1];
    if (top?.kind === "array" && !top.started) {
      top.started = true;
      path.push("0");
    }
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "{") {
      beginValue();
      stack.push({ kind: "object", keys: new Set(), hasKey: false });
      expectKey = true;
      i++;
    } else if (ch === "[") {
      beginValue();
      stack.push({ kind: "array", index: 0, started: false });
      i++;
    } else if (ch === "}" || ch === "]") {
      const top = stack.pop()!;
      if (top.kind === "object" ? top.hasKey : top.started) path.pop();
      expectKey = false;
      i++;
    } else if (ch === ",") {
      const top = stack[stack.length - 1];
      if (top.kind === "object") {
        path.pop();
        expectKey = true;
      } else {
        path[path.length - 1] = String(++top.index);
      }
      i++;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === "object") {
        // decoded, so "a" and "\u0061" are the same key
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) found.push([...path, key].join("."));
        else top.keys.add(key);
        path.push(key);
        top.hasKey = true;
        expectKey = false;
      } else {
        beginValue();
      }
      i = end;
    } else if (ch === ":" || ch === " " || ch === "\t" || ch === "\n" || ch === "\r") {
      i++;
    } else {
      // a number, true, false or null
      beginValue();
      while (i < text.length && !SCALAR_END.has(text[i])) i++;
    }
  }
  return found;
}

/** The index just past the string literal that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}
