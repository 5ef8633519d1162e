// The shop the sample specs test: served inside the run's container, so the run needs no network.
const http = require('node:http');

const pages = {
  '/': '<!doctype html><title>Shop</title><h1>Shop</h1><button id="add">Add to cart</button><p id="cart">0 items</p>'
    + '<script>let n = 0; document.getElementById("add").onclick = () => { n++; document.getElementById("cart").textContent = n + " items"; };</script>',
  '/checkout': '<!doctype html><title>Checkout</title><h1>Checkout</h1><p id="total">Total: 0.00</p>',
  '/health': 'ok',
};

http.createServer((request, response) => {
  const body = pages[request.url];
  response.writeHead(body ? 200 : 404, { 'content-type': request.url === '/health' ? 'text/plain' : 'text/html' });
  response.end(body ?? 'not found');
}).listen(4173, '127.0.0.1');
