export const first = [, 0]; // this file starts with a byte order mark
// Holes in array literals are easy to miss.
export const holes = [1, , 3];
export const leading = [, "a"];
export const trailingOk = [1, 2, ];        // a single trailing comma is not a hole
export const double = [1, , , 4];
export const onlyHoles = [, ,];
export const empty = [];
export const nested = [[1, , 2], [3]];
const multiline = [
  "first",
  ,
  "third",
];
const withComment = [1, /* gap */ , 2];
const emojiLine = "✨"; const sparkle = ["✨", , "🌟"];
const spread = [...a, , ...b];
const [x, , y] = holes;               // a pattern, not an array literal
function take([, second]) { return second; }
const jsx = <List items={[1, , 2]} />;
const call = f([ , ]);
const deep = () => [[[, ]]];
const template = [`a`, , `b`];
const objects = [{}, , {}];
const longer = [
  // nothing here
  ,
];
export { multiline, withComment, sparkle, spread, x, y, take, jsx, call, deep, template, objects, longer };
