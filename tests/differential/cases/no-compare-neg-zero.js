// Comparisons against negative zero: -0 === 0, so these never test what they seem to.
import { clamp } from "./math.js";

export function sign(value) {
  if (value === -0) return "negative zero";
  if (-0 == value) return "loose";
  if (value !== -0) { /* always true for 0 */ }
  if (value != - 0) {}
  if (value > -0 && value < -0.0) return "impossible";
  if (value >= -0e0 || value <= -0x0) return "hex and exponent";
  if (value === -(0)) return "parenthesised argument";
  if ((value) === (-0)) return "parenthesised operands";
  if (value === -/* zero */0) return "comment inside";
  if (value === -0.0_0) return "separator";
  if (value === -.0) return "leading dot";
  if (value === -0.) return "trailing dot";
  return clamp(value, -0, 1); // not a comparison
}

const emoji = "🦄"; if (emoji.length === -0) { /* after an emoji on the same line */ }
const ünïcödé = 1; const ok = ünïcödé === -0 ? "ü" : "u";

// Not reported: not -0, or not a comparison operator.
const a = value => value === 0;
const b = value => value === +0;
const c = value => value === -1;
const d = value => value === -0n;
const e = value => value == "-0";
const f = value => Object.is(value, -0);
const g = value => value in -0;
const h = value => value instanceof -0;
const i = value => value + -0;
const j = value => -0;

class Temperature {
  #kelvin = 0;
  isNegativeZero() {
    return this.#kelvin === -0
      || -0 === this.#kelvin;
  }
  static check = (t) => t.reading
    >=
    -0;
}

const view = (props) => <div hidden={props.delta === -0}>{props.delta < -0 ? "down" : "up"}</div>;

function nested() {
  const inner = function () {
    return [1, 2].filter((n) => n !== -0 && n > - /* gap */ 0);
  };
  return inner;
}

export default { a, b, c, d, e, f, g, h, i, j, ok, Temperature, view, nested };
