// Ternaries that return a boolean literal, or repeat the test as the default.
export function choose(a, b, x) {
  const t1 = a ? true : false;
  const t2 = a ? false : true;
  const t3 = a === b ? true : false;
  const t4 = a === b ? false : true;
  const t5 = a !== b ? false : true;
  const t6 = a < b ? false : true;          // not inverted: `<` has NaN cases
  const t7 = !a ? true : false;
  const t8 = a ? true : true;
  const t9 = a ? false : false;
  const t10 = a.b ? true : true;             // not an identifier
  const t11 = a instanceof b ? true : false;
  const t12 = a in b ? false : true;
  const t13 = (a, b) ? true : false;
  const t14 = a || b ? true : false;
  const t15 = a ? 1 : 0;                     // fine
  const t16 = a ? a : b;                     // default assignment: fine by default
  const t17 = /* c */ a ? true : false;
  const t18 = a /* c */ ? true : false;
  const t19 = a ? /* c */ true : false;
  const t20 = a ==
    b ? false : true;
  const t21 = (a) ? (true) : (false);
  const t22 = a != b ? true : false;
  const t23 = a == b ? false : true;
  const t24 = typeof a ? true : false;
  const t25 = a + b ? false : true;
  const t26 = await0 ? false : true;
  const t27 = x => x ? true : false;
  const emoji = "🎲"; const t28 = emoji ? false : true;
  const t29 = a ? b ? true : false : false;
  const t30 = <Toggle on={a ? true : false} />;
  const t31 = `${a ? false : true}`;
  const t32 = a ?? b ? true : false;
  const t33 = -a ? false : true;
  const t34 = a = b ? true : false;
  const t35 = (a = b) ? false : true;
  const t36 = a ? true : false ? 1 : 2;
  return [t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16, t17, t18, t19, t20,
    t21, t22, t23, t24, t25, t26, t27, t28, t29, t30, t31, t32, t33, t34, t35, t36];
}

export const nested = () => (x ? true : false) ? false : true;
