// Duplicate case labels: the second one can never match.
export function describe(kind, value) {
  switch (kind) {
    case "a":
      return 1;
    case "b":
      return 2;
    case "a":
      return 3;
    case 'b':         // different quotes are different tokens
      return 4;
  }

  switch (value) {
    case 1:
    case 2:
    case 1: {
      break;
    }
    case 1.0:
      break;
    case one():
    case one():      // calls are compared by their tokens too
      break;
    case a.b:
    case a . b:
      break;
    case a?.b:
      break;
    case (x):
    case x:
      break;
    case /* note */ y:
    case y /* again */:
      break;
    case `tmpl`:
    case `tmpl`:
      break;
    case "😀":
    case "😀": break;
    default:
      break;
  }

  switch (true) {
    case value > 10:
      return "big";
    case value > 10:
      return "big again";
    case value >10:
      return "spacing";
    case value < 0 && kind:
      return "negative";
    case kind && value < 0:
      return "not equal: order matters here";
  }

  const nested = () => {
    switch (kind) {
      case null:
      case undefined:
      case null:
        return <b>{kind}</b>;
    }
  };

  switch (kind) {
    case 1: switch (value) { case 1: case 1: } break;
    case 2:
    case 3:
  }

  switch (kind) { case "x": case "y": case "x": }
  switch (kind) {
    case -1:
    case - 1:
    case +1:
    case !0:
    case ! 0:
    case void 0:
    case undefined:
    case void 0:
    case [1, 2]:
    case [1,2]:
    case {}:
    case { }:
    case x => x:
    case (x) => x:
    case kind ? 1 : 2:
    case kind?1:2:
    case new Date():
    case new Date:
    case "\u0061":
    case "a":
    case "ä":
    case "ä":
    default:
  }
  return nested;
}
