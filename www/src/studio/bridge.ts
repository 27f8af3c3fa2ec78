// studio-bridge.html: the action studio frames this page on the app's
// origin. It registers the stand-in's service worker there and relays the
// requests the worker hands it to the studio.
//
// It talks only to the window that frames it, at that window's origin as
// the browser reports it (location.ancestorOrigins), never to one a URL names.
const studioOrigin = location.ancestorOrigins?.[0] ?? "";

function toStudio(message: unknown, transfer: Transferable[] = []): void {
  if (studioOrigin && window.parent !== window) window.parent.postMessage(message, studioOrigin, transfer);
}

if (studioOrigin) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data as { type?: string } | null;
    if (data?.type === "octane-kit-studio-request") toStudio(data, [...event.ports]);
  });
  navigator.serviceWorker
    .register("./studio-sw.js", { scope: "./" })
    .then(() => navigator.serviceWorker.ready)
    .then(
      () => toStudio({ type: "octane-kit-studio-bridge-ready", origin: location.origin }),
      (error: unknown) => toStudio({ type: "octane-kit-studio-bridge-failed", reason: String(error) }),
    );
}
