// Cadence offers: the only script the extension ships (budget: 2 KB gzipped, tested). The offer itself is
// rendered in Liquid; this file only reports exposures and clicks through the app proxy, submits the opt-out form
// in place, and closes the banner. It never adds content to the page and never sends who the shopper is:
// Shopify's app proxy adds logged_in_customer_id to every /apps/cadence request itself.
(function () {
  if (window.cadenceOffers) return;
  window.cadenceOffers = 1;
  var proxy = '/apps/cadence/events?';

  // Respect the shopper's analytics choice when the shop uses Shopify's Customer Privacy API.
  function allowed() {
    var privacy = window.Shopify && window.Shopify.customerPrivacy;
    return !privacy || !privacy.analyticsProcessingAllowed || privacy.analyticsProcessingAllowed();
  }

  // Everything is in the signed query string; the body stays empty.
  function send(element, type) {
    if (!allowed()) return;
    var data = element.dataset;
    var url = proxy + new URLSearchParams({ type: type, offer: data.cadenceOffer, arm: data.cadenceArm, surface: data.cadenceSurface });
    if (!(navigator.sendBeacon && navigator.sendBeacon(url))) fetch(url, { method: 'POST', keepalive: true });
  }

  // Seen = half the block in view, or half the viewport filled by it (a block taller than two screens).
  function watch(element) {
    // A fixed banner (or the holdout's hidden stand-in for it) is in view as soon as the page is.
    if (element.dataset.cadenceSurface == 'banner' || !window.IntersectionObserver) return send(element, 'exposure');
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= innerHeight / 2; })) {
        observer.disconnect();
        send(element, 'exposure');
      }
    }, { threshold: [0.1, 0.2, 0.3, 0.4, 0.5] });
    observer.observe(element);
  }

  function preference(form) {
    var button = form.querySelector('button');
    var status = form.querySelector('[role=status]');
    var busy = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) return;
      busy = true;
      form.setAttribute('aria-busy', 'true');
      var url = new URL(form.action);
      var resumed = url.searchParams.get('personalised') == '1';
      fetch(url, { method: 'POST', headers: { Accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw response.status;
          url.searchParams.set('personalised', resumed ? '0' : '1');
          form.action = url;
          button.textContent = form.dataset[resumed ? 'stop' : 'resume'];
          status.textContent = form.dataset[resumed ? 'resumed' : 'stopped'];
        })
        .catch(function () {
          status.textContent = form.dataset.failed;
        })
        .finally(function () {
          busy = false;
          form.removeAttribute('aria-busy');
        });
    });
  }

  function start() {
    document.querySelectorAll('[data-cadence-offer]').forEach(function (element) {
      if (element.dataset.cadenceOffer) watch(element);
      element.addEventListener('click', function (event) {
        if (event.target.closest('[data-cadence-cta]') && element.dataset.cadenceOffer) send(element, 'click');
      });
    });
    document.querySelectorAll('[data-cadence-preference]').forEach(preference);
    document.querySelectorAll('[data-cadence-close]').forEach(function (button) {
      var banner = button.closest('aside');
      if (sessionStorage.getItem('cadence-banner-closed')) banner.hidden = true;
      button.addEventListener('click', function () {
        banner.hidden = true;
        sessionStorage.setItem('cadence-banner-closed', '1');
      });
    });
  }

  if (document.readyState == 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
