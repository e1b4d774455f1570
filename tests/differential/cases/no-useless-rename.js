// Renaming a binding to its own name.
import { a as a, b as c, d } from "./module.js";
import { "e" as e } from "./strings.js";
import { default as default_ } from "./default.js";
import * as ns from "./ns.js";
import { f as /* keep */ f } from "./comment.js";
import { ü as ü } from "./unicode.js";

export { a as a, c as c2, d as d };
export { ns as ns };
export { e as "e" };
export { f as "g" };
export { x as x, y as y } from "./reexport.js";
export { "z" as z } from "./z.js";
export { "w" as "w" } from "./w.js";
export * as star from "./star.js";

const { p: p, q: r, s } = obj;
const { t: t = 1 } = obj;
const { ["u"]: u } = obj;
const { "v": v } = obj;
const { 1: one } = obj;
const { nested: { deep: deep } } = obj;
const { rest: rest, ...others } = obj;
const { /* c */ w: w } = obj;
const { k: /* c */ k } = obj;
const { m: m /* after */ } = obj;
let assigned;
({ assigned: assigned } = obj);
({ assigned: other.assigned } = obj);

function params({ n: n, o: o = 2 }, [{ i: i }]) {
  return n + o + i;
}

const arrow = ({ value: value }) => value;
const emoji = "🪪"; const { id: id } = obj;
const jsx = ({ children: children }) => <>{children}</>;

class Service {
  run({ opts: opts }) { return opts; }
}

for (const { key: key } of entries) {}
for (const { key2: key2 } in entries) {}
try {} catch ({ message: message }) {}

const notRename = { p: p };              // an object literal, not a pattern
export { p, r, s, t, u, v, one, deep, rest, others, k, m, params, arrow, id, jsx, Service, notRename, default_ };
