/**
 * MQTT over WebSocket at `/mqtt`: a `{ websocket: true }` route of the app's one
 * `@fastify/websocket` registration (the next issue's `/live` feed is another route of it, so
 * the two never compete for `upgrade`). The socket becomes a stream handed to Aedes
 * synchronously: nothing is awaited before the first frame can arrive. Authentication is the
 * same CONNECT check as on TCP.
 */
import type { FastifyInstance } from 'fastify';
import { createWebSocketStream } from 'ws';

export async function mqttWsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/mqtt', { websocket: true, schema: { querystring: { type: 'object', additionalProperties: true } } }, (socket, req) => {
    const broker = app.iot.broker;
    if (!broker) {
      // persist-only process: no broker here.
      socket.close(1013, 'no broker in this process');
      return;
    }
    const stream = createWebSocketStream(socket);
    stream.on('error', () => socket.terminate());
    broker.handle(stream, req.raw);
  });
}
