// A tiny HTTP API over the cart module.
"use strict";

const http = require("http");
const { cartTotal, findItem } = require("./cart");

const carts = new Map();

function route(request, response) {
  if ("GET" !== request.method) {
    response.writeHead(405);
    return response.end();
  }
  let match;
  if (match = /^\/carts\/(\w+)$/.exec(request.url)) {
    const cart = carts.get(match[1]);
    if (undefined === cart) {
      response.writeHead(404);
      return response.end();
    }
    response.setHeader("content-type", "application/json");
    return response.end(JSON.stringify({ total: cartTotal(cart) }));
  }
  response.writeHead(404);
  response.end();
}

function loadCart(id) {
  try {
    return JSON.parse(carts.get(id)["raw"]);
  } catch (error) {
    throw error;
  }
}

const server = http.createServer(route);
server.listen(process.env.PORT || 8080, () => {
  console.log("listening");
});

module.exports = { server, loadCart, findItem };
