// Fix hazards for the autofixable rules: ASI, comments, precedence, nested fixes that
// need several passes, non-ASCII text before the fix on the same line.
var shared = 1
var a = 2, b = a
;[shared, a].forEach(function (x) { return x })

export function hazards(items, options) {
  var total = 0
  if (items) total += 1
  else if (options) total += 2
  else total += 3

  if (items)
    // a comment between the test and the body
    total++

  if (items) { total++ } else { if (options) { total-- } }
  if (items) { total++ } else {
    // keep me
    if (options) { total-- }
  }

  const o = { a: a, b: function () { return b }, "c": c, ['d']: 1, e: async function* () {} }
  const p = { get: function () {}, set: function (v) {}, async: async function () {} }
  const q = { [`x`]: 1, 'y-z': 2, 0: function () {}, 'a': a }

  const t1 = "a" + items + 'b' + `c${options}`
  const t2 = items + 1 + "px" + (options + 2)
  const t3 = "line\n" + items + "'quote'" + '"dq"' + "${notATemplate}"
  const t4 = "🎉 " + items + " ✨" // emoji in the strings
  const t5 = /* lead */ "x" + items /* tail */
  const t6 = 1 + "" + -items

  const y1 = 5 < items, y2 = "x" === options.kind, y3 = null != items
  const y4 = -1 < items && items < 10
  const y5 = 0 < items.length ? items[0] : null

  const d1 = items["length"], d2 = options['class'], d3 = items[`size`], d4 = 5["toFixed"]
  const d5 = items["ünïcödé"], d6 = items["a b"], d7 = options /* c */ ["key"]

  const m1 = Math.pow(items, 2), m2 = Math.pow(-items, options), m3 = -Math.pow(2, 3)
  const m4 = Math.pow(a + b, c * d), m5 = Math.pow(Math.pow(2, 3), 2), m6 = (Math.pow)(2, 3)

  const n1 = !!items ? 1 : 2, n2 = Boolean(!!(items)) && 1
  const u1 = items ? true : false, u2 = items.length ? false : true, u3 = options ? options : 3

  for (var i = 0; i < 3; i++) { setTimeout(function () { return i }) }
  for (var j = 0; j < 3; j++) total += j
  { var blockScoped = 1; total += blockScoped }

  if (typeof items == "object" && "a" == "b") total++
  return [o, p, q, t1, t2, t3, t4, t5, t6, y1, y2, y3, y4, y5, d1, d2, d3, d4, d5, d6, d7, m1, m2, m3, m4, m5, m6, n1, n2, u1, u2, u3, total]
}

export function elseReturn(x) {
  if (x) {
    return 1
  } else {
    return 2
  }
}

export function elseReturnChain(x) {
  if (x === 1) { return "one" } else if (x === 2) { return "two" } else { return "many" }
}

export function elseWithComment(x) {
  if (x) {
    return 1
  } /* why */ else {
    const y = 2
    return y
  }
}

export function nestedFixes(a, b, c, d) {
  if (a) if (b) c(); else d();
  if (a) for (;;) if (b) c(); else break;
  if (a) while (b) if (c) d(); else if (d) c(); else return;
  const o = { a: { b: b, c: function () { return { d: d } } }, e: { f: () => ({ g: g }) } }
  const t = "a" + ("b" + c) + ("d" + (d + "e"))
  if (!!(!!a)) c()
  const y = 1 < (2 < a ? b : c)
  const m = Math.pow(Math.pow(a, b), Math.pow(c, d))
  const r = { ["x"]: { ["y"]: 1 } }
  const { p: p, q: { r: r2 } } = o
  const u = a ? (b ? true : false) : false
  return [o, t, y, m, r, p, r2, u]
}

export function asiHazards(a) {
  let x = a
  if (a) x = 1
  ;(x ? true : false) && a()
  const s = "x" + a
  ;[1].map(function (n) { return n })
  var w = 1
  ;`${w}`
  return [s]
}

export const jsx = (props) => {
  if (props.a) return <A {...props} title={"hi " + props.name} />
  else return <B key={props["id"]} />
}
