import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duplicateKeyPaths } from "@/lib/http/json-keys";

describe("duplicateKeyPaths", () => {
  it("finds a key named twice, at the top and nested, by its field path", () => {
    expect(duplicateKeyPaths('{"userIds":[1],"k":5,"userIds":[2]}')).toEqual(["userIds"]);
    expect(duplicateKeyPaths('{"a":{"b":1,"c":{},"b":2}}')).toEqual(["a.b"]);
    expect(duplicateKeyPaths('{"arms":[{"key":"x"},{"key":"y","weight":1,"key":"z"}]}')).toEqual(["arms.1.key"]);
    expect(duplicateKeyPaths('[[], [1, {"x": 1, "x": 2}]]')).toEqual(["1.1.x"]);
    // every repeat, in document order; a third mention is a second repeat
    expect(duplicateKeyPaths('{"a":1,"b":2,"a":3,"b":4,"a":5}')).toEqual(["a", "b", "a"]);
  });

  it("compares keys as decoded text", () => {
    expect(duplicateKeyPaths('{"a":1,"\\u0061":2}')).toEqual(["a"]);
    expect(duplicateKeyPaths('{"a":1,"A":2,"a ":3}')).toEqual([]);
  });

  it("keeps the same key in different objects apart", () => {
    expect(duplicateKeyPaths('{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}')).toEqual([]);
    expect(duplicateKeyPaths('{"a":{"a":{"a":1}}}')).toEqual([]);
  });

  it("is not misled by strings that look like JSON, escapes, or whitespace", () => {
    expect(duplicateKeyPaths('{"a":"{\\"a\\":1,\\"a\\":2}","b":"]},\\\\","c":["\\"",",",":"]}')).toEqual([]);
    expect(duplicateKeyPaths(' {\n\t"a" : 1 ,\r\n "a"\t:\n[ true , false , null , -1.5e3 ] } ')).toEqual(["a"]);
    expect(duplicateKeyPaths('"just a string"')).toEqual([]);
    expect(duplicateKeyPaths("42")).toEqual([]);
    expect(duplicateKeyPaths("{}")).toEqual([]);
  });

  it("handles nesting as deep as a 64 KB body allows without running out of stack", () => {
    const depth = 30_000;
    const deep = `${"[".repeat(depth)}{"x":1,"x":2}${"]".repeat(depth)}`;
    JSON.parse(deep); // valid JSON, which is what the function is given
    const paths = duplicateKeyPaths(deep);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toBe(`${"0.".repeat(depth)}x`);
  });

  it("finds nothing in anything JSON.stringify writes (which never repeats a key)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, "\t"), (value, indent) => {
        expect(duplicateKeyPaths(JSON.stringify(value, null, indent))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("finds the key a copied member repeats, wherever the object sits", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.array(fc.nat(3), { maxLength: 4 }), (obj, wrap) => {
        const [key, value] = Object.entries(obj)[0];
        // the object, with its first member written again at the end
        let text = `${JSON.stringify(obj).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
        let path = key;
        // then wrapped: as an array's second element or under a key "w"
        for (const w of wrap) {
          if (w % 2) {
            text = `[null,${text}]`;
            path = `1.${path}`;
          } else {
            text = `{"w":${text}}`;
            path = `w.${path}`;
          }
        }
        expect(duplicateKeyPaths(text)).toEqual([path]);
      }),
      { numRuns: 500 },
    );
  });
});
