// Computed keys that are plain literals.
export const object = {
  ["a"]: 1,
  ['b']: 2,
  [0]: 3,
  [1.5]: 4,
  [`c`]: 5,                 // a template is not a Literal: fine
  [d]: 6,                   // a variable: fine
  ["__proto__"]: null,      // would set the prototype without brackets: fine
  ["e"]() {},
  get ["f"]() { return 1; },
  set ["f"](value) {},
  async ["g"]() {},
  *["h"]() {},
  async *["i"]() {},
  ["j"]: function () {},
  [/* note */ "k"]: 7,
  ["l" /* note */]: 8,
  [ "m" ]: 9,
  [("n")]: 10,
  ["😀"]: 11,
  [-1]: 12,                 // unary: not a Literal
  [1n]: 13,
  [true]: 14,
  [null]: 15,
  [/re/]: 16,
  ["🎉" + "x"]: 17,
};

const { ["a"]: renamed, [0]: zero, [key]: dynamic } = object;

export class Model {
  ["constructor"]() {}          // would become the constructor: fine
  static ["constructor"]() {}
  ["prototype"]() {}
  static ["prototype"] = 1;     // static prototype: fine
  ["method"]() {}
  static ["staticMethod"]() {}
  ["field"] = 1;
  static ["staticField"] = 2;
  get ["getter"]() { return 1; }
  #priv = 0;
  ["#notPrivate"] = 3;
  "quoted" = 4;
  [ 'spaced' ] () {}
}

export const Anonymous = class {
  ["x"] = 1;
  static async *["y"]() {}
};

const get = {
  get["a"]() { return 1; },
  set["a"](v) {},
  async["b"]() {},
  static: 1,
};

const jsx = <C {...{ ["p"]: 1 }} />;
const ünï = { ["ü"]: 1 };

function nested() {
  return { ["inner"]: { ["deeper"]: 1 } };
}

export { renamed, zero, dynamic, get, jsx, ünï, nested };
