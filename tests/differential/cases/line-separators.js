// ESLint counts U+2028 and U+2029 as line breaks, in comments and strings too.
/* Here and here the lines below move down by two. */
export function separators(value) {
  if (typeof value === "strnig") { return 1; }
  const sep = "a b"; if (typeof sep === "strin") { return 2; }
  const para = `x y`; const z = para === -0;
  return [sep, z];
}
