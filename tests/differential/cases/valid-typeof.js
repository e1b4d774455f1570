// typeof compared with a string that it can never return.
export function kind(value) {
  if (typeof value === "strnig") return 1;
  if (typeof value == "undefimed") return 2;
  if ("nunber" !== typeof value) return 3;
  if (typeof value != 'fucntion') return 4;
  if (typeof value === `bigint`) return 5;          // fine
  if (typeof value === `bignit`) return 6;
  if (typeof value === `${"object"}`) return 7;     // not a plain template: fine
  if (typeof value === undefined) return 8;         // compared with the value undefined
  if (typeof value === Object) return 9;            // an identifier: allowed by default
  if (typeof value === "Object") return 10;         // case matters
  if (typeof value === "symbol") return 11;         // fine
  if (typeof typeof value === "string") return 12;  // fine
  if (typeof (value) === ("objcet")) return 13;
  if (typeof value === /* c */ "nmber") return 14;
  if (typeof value < "number") return 15;           // not an equality: fine
  if (typeof value === 'function' || typeof value === 'fuction') return 16;
  const emoji = "🦖"; if (typeof emoji === "strinɡ") return 17;
  if (typeof value === "") return 18;
  if (typeof value === "undefined ") return 19;
  if (typeof value === "\x6Fbject") return 20;      // "object" spelled with an escape: fine
  if (typeof value === "obj\
ect") return 21;
  if (typeof value === "bigInt") return 23;
  if (typeof value !== 'BIGINT') return 24;
  if (typeof value === "null") return 25;
  if (typeof value === "array") return 26;
  if (typeof value === "object" && typeof value.then === "fn") return 27;
  const check = (v) => typeof v == "strig" ? 1 : typeof v != "numbre";
  if (typeof (/* c */ value) === "unknown") return 28;
  if ((typeof value) === "boolen") return 29;
  switch (typeof value) {
    case "strign":                                   // switch cases are not checked
      return 22;
  }
  const undefined_ = undefined;
  const view = <Field valid={typeof value === "numbr"} />;
  const inner = (undefined) => typeof value === undefined;   // a local undefined: fine
  return [undefined_, view, inner, typeof value === null, typeof value == typeof other];
}
