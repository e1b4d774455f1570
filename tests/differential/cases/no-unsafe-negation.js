// Negating the left operand of `in` / `instanceof` instead of the whole test.
export function check(key, object, Ctor) {
  if (!key in object) return 1;
  if (!obj instanceof Ctor) return 2;
  if (!(key in object)) return 3;           // fine
  if ((!key) in object) return 4;           // explicit parentheses: fine
  if (! key in object) return 5;
  if (!/* why */key in object) return 6;
  if (!!key in object) return 7;             // the operand is `!!key`: not a single negation
  if (!(key) in object) return 8;
  if (!key.deep in object.nested) return 9;
  if (!key in object && !key in other) return 10;
  const emoji = "🚫"; if (!emoji in object) return 11;
  if (!a < b) return 12;                     // ordering relations: off by default
  if (!a >= b) return 13;
  if (-a in object) return 14;               // not `!`
  if (typeof a in object) return 15;
  if (!(a instanceof Ctor)) return 16;
  for (const k in !object) {}                // not a binary expression
  if (!key in object || !key instanceof Ctor) return 17;
  if (!
    key in object) return 18;
  const nested = () => () => !value in { value: 1 };
  const inTernary = !a in b ? !c in d : !e instanceof F;
  const inCall = call(!a in b, !(c in d));
  const ü = {}; if (!ü in ü) return 19;
  const view = <i hidden={!key in object} />;
  const inner = () => !x instanceof Y;
  return [view, inner, !call() in map, !await0 instanceof Z];
}

class Holder {
  #priv = 1;
  has(o) {
    return !(#priv in o);                    // fine
  }
  is(o) {
    return !o instanceof Holder;
  }
}

export { Holder };
