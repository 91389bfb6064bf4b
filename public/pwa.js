// Registers the service worker (dist/sw.js, generated at build time) and runs
// the update flow: when a new build has installed beside the running one, the
// page is told (event `benefits:update-ready`, flag `window.benefitsUpdateReady`);
// when the user agrees (event `benefits:apply-update`), the new worker takes
// over and the page reloads once.
if ('serviceWorker' in navigator) {
  const announce = () => {
    window.benefitsUpdateReady = true;
    window.dispatchEvent(new CustomEvent('benefits:update-ready'));
  };
  const watch = (worker) => {
    if (!worker) return;
    const check = () => {
      // Installed while another worker controls the page: a new build is waiting.
      if (worker.state === 'installed' && navigator.serviceWorker.controller) announce();
    };
    worker.addEventListener('statechange', check);
    check();
  };

  navigator.serviceWorker
    .register('/sw.js', { scope: '/', updateViaCache: 'none' })
    .then((registration) => {
      watch(registration.waiting);
      registration.addEventListener('updatefound', () => watch(registration.installing));
      window.addEventListener('benefits:apply-update', () => {
        if (registration.waiting) registration.waiting.postMessage({ type: 'SKIP_WAITING' });
      });
      // Look for a new build when the page regains focus or the network returns.
      const update = () => registration.update().catch(() => {});
      document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && update());
      window.addEventListener('online', update);
    })
    .catch((err) => console.warn('Offline support is unavailable:', err.message));

  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only reload for a worker the user asked for, never on the first install.
    if (window.benefitsUpdateReady && !reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}
