// NaN is not equal to anything, itself included.
export function test(value, list) {
  if (value === NaN) return 1;
  if (value == NaN) return 2;
  if (NaN !== value) return 3;
  if (value != NaN) return 4;
  if (value < NaN) return 5;
  if (value >= Number.NaN) return 6;
  if (Number.NaN === value) return 7;
  if (value === Number["NaN"]) return 8;
  if (value === (NaN)) return 9;
  if (value === /* nan */ NaN) return 10;
  if (value === Number?.NaN) return 11;
  if (value === (0, NaN)) return 12;
  if (value === (1, 2, Number.NaN)) return 13;
  if (value === globalThis.NaN) return 14;    // not Number.NaN: fine
  if (Number.isNaN(value)) return 15;          // fine
  if (value === nan) return 16;                // fine
  const emoji = "🤖"; if (emoji === NaN) return 17;

  switch (value) {
    case NaN:
      return 18;
    case Number.NaN:
      return 19;
    case 1:
      return 20;
  }

  switch (NaN) {
    case value:
      return 21;
  }

  switch (Number.NaN) {
    default:
  }

  switch ((NaN)) {}

  list.indexOf(NaN);           // enforceForIndexOf is off by default: fine
  list.lastIndexOf(NaN);

  const view = <meter value={value !== NaN ? value : 0} />;
  const inner = function () { return value + NaN === NaN; };
  const NaNShadow = (NaN) => value === NaN;    // a parameter named NaN still counts
  return [view, inner, NaNShadow, `${value == NaN}`];
}
