// Double negation and Boolean() where a boolean context converts anyway.
export function flags(value, items) {
  if (!!value) return 1;
  if (Boolean(value)) return 2;
  if (!!(value)) return 3;
  if (!(!value)) return 4;
  if (!!value && other) return 5;           // logical operands: not checked by default
  while (!!items.length) items.pop();
  do {} while (Boolean(items.length));
  for (; !!value; ) break;
  const a = !!value ? 1 : 2;
  const b = !!!value;
  const c = !Boolean(value);
  const d = Boolean(!!value);
  const e = new Boolean(!!value);
  const f = Boolean();
  const g = !Boolean();
  const h = Boolean(...items);
  const i = Boolean(value, 2);
  const j = !!(/* keep */ value);
  const k = !!value /* after */ ? 1 : 2;
  if (!!(a, b)) return 6;
  const l = !!(a, b) ? 1 : 2;
  if (Boolean((value))) return 7;
  if (!!await0) return 8;
  const emoji = "✅"; if (!!emoji) return 9;
  const m = !!value; // not in a boolean context: fine
  const view = <input checked={!!value ? true : false} />;
  const n = !!function () {} ? 1 : 2;
  const o = Boolean(value) ? `${!!value}` : "no";
  if (!!a ?? b) return 10;
  if (!!!!value) return 11;
  return [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, view];
}

export function shadowed(Boolean) {
  if (Boolean(1)) return 1;                  // a local Boolean: fine
  return !!(x) ? 2 : 3;
}

export const arrows = {
  one: (v) => !!v ? "y" : "n",
  two: (v) => { if (!!v) { return 1; } },
  three: async (v) => !(await !!v),
  four: (v) => !(!!v),
};

export function precedence(a, b) {
  if (!!(a = b)) return 1;
  if (!(!(a || b))) return 2;
  if (Boolean(a ? b : 1)) return 3;
  if (!Boolean(a || b)) return 4;
  if (!Boolean(a)) return 5;
  return !Boolean(a + b) ? 6 : 7;
}
