import http from 'node:http';

/**
 * The bound the simulator is measured against in the same run: a bare node:http server that answers every
 * request with one fixed, pre-serialized body of the same size as the simulator's answer. Nothing can serve that
 * body faster on this machine with Node, so `simulator rps / baseline rps` says how much the simulator costs.
 */
const body = process.argv[2] ?? '[]';
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
