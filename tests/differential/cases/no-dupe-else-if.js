// Duplicate conditions in if-else-if chains. This file uses CRLF line endings.
export function route(req, res, next) {
  if (req.method === "GET") {
    return next();
  } else if (req.method === "POST") {
    return res.send(201);
  } else if (req.method === "GET") {
    return res.send(405);
  }

  if (isAdmin(req.user) || isOwner(req.user)) {
    grant();
  } else if (isOwner(req.user)) {
    deny();
  }

  if (a && b) {
  } else if (b && a) {
  }

  if (a || b) {
  } else if (a) {
  } else if (b) {
  }

  if (a) {
  } else if (b) {
  } else if (a && b) {
  }

  if (a) {
  } else if (b) {
  } else if (a || b) {
  }

  if ((a)) {
  } else if (a /* same token */) {
  }

  if (user . name) {
  } else if (user.name) {
  }

  if (f(a)) {
  } else if (f((a))) {
  }

  if (x === 1 &&
      y === 2) {
  } else if (
    y === 2 &&
    x === 1
  ) {
  }

  if (n > 0) {
  } else if (n < 0) {
  } else {
    if (n > 0) {
    }
  }

  if ("🍕" === food) {
  } else if ("🍕" === food) {
  }

  if (a?.b) {
  } else if (a.b) {
  }

  if (`x${y}`) {
  } else if (`x${y}`) {
  }

  if (/re/u.test(s)) {
  } else if (/re/u.test(s)) {
  }

  if ('q' === s) {
  } else if ("q" === s) {
  }

  if (a || b && c) {
  } else if (c && b) {
  }

  if ((a || b) && c) {
  } else if (a && c) {
  } else if (b && c) {
  }

  if (view) {
    return <Item show={a ? b : c} />;
  } else if (view) {
    return null;
  }

  if (a) foo(); else if (b) bar(); else if (a) baz();

  if (a) {
  } else if (b) {
  } else if (c) {
  } else if (b) {
  } else if (a) {
  }

  if (a && b || c) {
  } else if (c || b && a) {
  }

  if (a == b) {
  } else if (a === b) {
  } else if (a == b) {
  }

  if (check(/* one */ a)) {
  } else if (check(a /* two */)) {
  }

  if (a) {
  } /* comment */ else /* here */ if (a) {
  }

  const inner = () => {
    if (ready) {
    } else if (!ready) {
    } else if (ready) {
    }
  };
  return inner;
}
