// Runs before the deferred module script loads: if it (or pkg/, which it imports) fails to load, say how to build
// the package. A file of its own because the Content-Security-Policy allows no inline script or handler.
'use strict';
// The page's own module (site.js, the shared chrome, needs no package).
document.querySelector('script[type="module"]:not([src="./site.js"])')?.addEventListener('error', () => {
  const status = document.getElementById('status-text');
  if (status) {
    status.textContent = 'pkg/ is missing: run bash scripts/build.sh · 未找到 pkg/，请先运行 bash scripts/build.sh';
  }
});
