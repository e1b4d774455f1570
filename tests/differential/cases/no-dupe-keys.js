// Duplicate keys in object literals: the last one wins silently.
export const settings = {
  name: "thea",
  version: 1,
  name: "again",
};

const quoted = { "a": 1, a: 2, 'a': 3 };
const numeric = { 1: "one", "1": "uno", 1.0: "ein", 0x1: "hex", 1n: "big" };
const computed = { [key]: 1, [key]: 2 };            // computed keys are not compared
const literalComputed = { ["b"]: 1, b: 2 };          // but static computed keys are
const accessors = {
  get size() { return 1; },
  set size(value) {},            // a getter and a setter pair is fine
  get size() { return 2; },      // a second getter is not
};
const methods = {
  run() {},
  async run() {},
  *gen() {},
  gen: null,
};
const proto = { __proto__: null, ["__proto__"]: Object.prototype };   // one sets the prototype, one is a key
const protoKeys = { ["__proto__"]: 1, ['__proto__']: 2 };
const protoShorthand = { __proto__, __proto__: null };              // shorthand is a normal key
const spread = { a: 1, ...rest, a: 2 };
const emoji = { "🎉": true, "\u{1F389}": false };
const escapes = { "\x61": 1, a: 2 };
const unicodeKey = { ключ: 1, "ключ": 2 };
const templ = { [`t`]: 1, t: 2 };
const nested = {
  outer: {
    inner: 1,
    inner: 2,
  },
  outer: null,
};
const jsx = <Box style={{ color: "red", color: "blue" }} />;

class NotAnObject {
  field = 1;
  field = 2;     // class fields are out of scope
}

function factory(x) {
  return {
    x,
    x: x + 1,
    toString() { return "f"; },
    toString: undefined,
  };
}

const regexKey = { [/a/]: 1, [/a/]: 2 };
const numbers = { 1e3: "a", 1000: "b", .5: "c", 0.5: "d" };
const long = { 0.1e1: 1, 1: 2 };
const notDup = { a: 1, b: 2, c: 3, A: 4 };

export { protoKeys, quoted, numeric, computed, literalComputed, accessors, methods, proto, protoShorthand };
export { spread, emoji, escapes, unicodeKey, templ, nested, jsx, NotAnObject, factory, regexKey, numbers, long, notDup };
