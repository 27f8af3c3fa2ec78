// The action studio's stand-in for Octane's REST API and bundle hosting.
//
// The studio page registers this worker on its own origin, and its bridge
// page (studio-bridge.html, framed by the studio) registers it on the
// app's origin (the next port of the same host). A request under
// `<site>/octane/` on this host, whether the app fetches it or a dialog navigates to a
// bundled file, is answered by the studio page: the worker hands it to a
// window of its own origin (the studio, or the bridge, which relays it to
// the studio by postMessage) and returns what the studio answers.
const STAND_IN = new URL("./octane/", self.registration.scope);
const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/**
 * Whether `url` is the stand-in's: under `<site>/octane/` on this host, on
 * any port (the studio and the app are two ports of one host). The studio
 * answers only for its own origin, and says so otherwise.
 */
function standIn(url) {
  const sameHost = url.hostname === STAND_IN.hostname || (LOOPBACK.has(url.hostname) && LOOPBACK.has(STAND_IN.hostname));
  return sameHost && url.protocol === STAND_IN.protocol && url.pathname.startsWith(STAND_IN.pathname);
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (!standIn(url)) return;
  event.respondWith(answer(event));
});

/** The window that answers: the bridge on the app's origin, else the studio. */
async function studio() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const path = (client) => new URL(client.url).pathname;
  return (
    windows.find((client) => path(client).endsWith("/studio-bridge.html")) ??
    windows.find((client) => path(client) === STAND_IN.pathname.replace(/octane\/$/, "") || path(client).endsWith("/index.html"))
  );
}

async function answer(event) {
  const request = event.request;
  const client = await studio();
  const requester = event.clientId ? await self.clients.get(event.clientId) : undefined;
  const failure = (status, description) =>
    new Response(JSON.stringify({ error_code: "platform.general_error", correlation_id: "studio", description, description_translated: description, properties: null }), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  if (!client) return failure(503, "The action studio is not open: the stand-in for Octane answers only while it is.");
  const body = ["GET", "HEAD"].includes(request.method) ? null : await request.text();
  const channel = new MessageChannel();
  const reply = new Promise((resolve) => {
    channel.port1.onmessage = (message) => resolve(message.data);
    setTimeout(() => resolve(null), 15000);
  });
  client.postMessage(
    {
      type: "octane-kit-studio-request",
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body,
      // Who asked: the page's origin (a navigation has none yet).
      origin: requester ? new URL(requester.url).origin : null,
      mode: request.mode,
    },
    [channel.port2],
  );
  const answered = await reply;
  if (!answered) return failure(504, "The action studio did not answer in time.");
  return new Response(answered.body, { status: answered.status, headers: answered.headers });
}
