/* eslint eqeqeq: ["error", "smart"], curly: [2, "multi-line"] */
/* eslint no-var: off, prefer-template: 0 -- legacy module, converted later */
/* eslint yoda: [2, "always", { onlyEquality: true }] */
/*eslint dot-notation:[2,{allowKeywords:false}] no-console:[1,{allow:[warn,error]}]*/
/* eslint
   object-shorthand: ["error", "never"],
   no-else-return: ['error', { allowElseIf: false }]
*/
// eslint no-debugger: off   (a line comment configures nothing)

var total = 0;
var name = "n" + total;

if (value == null) total++; // smart: a null check is fine
if (value == undefined) total++;
if (typeof value == "string") total++;
if (value == 1) total++;

if (total) total--;
if (total)
  total--;
if (total) { total--; }

if (1 === total) total++;
if (total === 1) total++;
if (total < 1) total++;

const o = { a: total, "b": name };
o["c"] = o["class"];
o.d = o.if;

console.warn(o);
console.error(o);
console.log(o);

const shorthand = { o, m() { return 1; } };

function pick(x) {
  if (x) {
    return 1;
  } else if (x === 0) {
    return 0;
  }
  return -1;
}

debugger;
export { shorthand, pick };
